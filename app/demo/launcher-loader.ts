// The app embed's launcher loader (extensions/kembali-theme/blocks/app_embed.liquid, the line
// after </kembali-widget>), for the demo storefront: the same inline script, with the demo's
// URL of kembali-widget.js where Liquid has `'kembali-widget.js' | asset_url | json`. It
// requests the launcher only once the page's load event has fired (at once if it already
// has), so the launcher never competes with the theme's first paint or largest image
// (decision 048). test/unit/appearance-liquid.test.ts renders the Liquid and compares.
export const launcherLoader = (src: string) => `<script>
(function (src) {
  var waiting = 2;
  function ready() {
    if (--waiting) return;
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        var script = document.createElement("script");
        script.src = src;
        document.head.append(script);
      });
    });
  }
  if (document.readyState == "complete") ready();
  else addEventListener("load", ready, { once: true });
  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("paint") < 0) ready();
  else
    new PerformanceObserver(function (list, observer) {
      if (!list.getEntriesByName("first-contentful-paint").length) return;
      observer.disconnect();
      ready();
    }).observe({ type: "paint", buffered: true });
})(${JSON.stringify(src).replace(/</g, "\\u003c")});
</script>`;
