// widget/build.js inlines each imported stylesheet as a minified string.
declare module "*.css" {
  const css: string;
  export default css;
}
