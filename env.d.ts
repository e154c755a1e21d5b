/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// App Bridge's navigation and contextual save bar elements (loaded from Shopify's CDN inside the admin).
declare namespace JSX {
  interface IntrinsicElements {
    "ui-nav-menu": React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>;
    "ui-save-bar": React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>;
  }
}
