// The demo theme's script: what a theme's deferred global script does on every page.
(() => {
  const menu = document.querySelector("[data-theme-menu]");
  const toggle = document.querySelector("[data-theme-menu-toggle]");
  toggle?.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu?.toggleAttribute("hidden", !open);
  });

  // The product gallery: thumbnails swap the main photo.
  for (const gallery of document.querySelectorAll("[data-theme-gallery]")) {
    const main = gallery.querySelector("img");
    for (const thumb of gallery.querySelectorAll("[data-theme-thumb]")) {
      thumb.addEventListener("click", () => {
        if (main) main.src = thumb.getAttribute("data-theme-thumb");
      });
    }
  }

  // Quantity buttons beside number inputs.
  for (const input of document.querySelectorAll("input[type=number]")) {
    for (const step of [-1, 1]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "theme-step";
      button.textContent = step < 0 ? "−" : "+";
      button.setAttribute("aria-label", step < 0 ? "Decrease quantity" : "Increase quantity");
      button.addEventListener("click", () => (step < 0 ? input.stepDown() : input.stepUp()));
      input.after(button);
    }
  }

  // Cards fade in as they scroll into view.
  const reveal = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        entry.target.classList.add("theme-shown");
        reveal.unobserve(entry.target);
      }
    }
  });
  for (const card of document.querySelectorAll(".theme-card")) reveal.observe(card);
})();
