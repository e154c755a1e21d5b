// Every GraphQL document Kembali sends to the Admin API (2025-10). Each one is a plain
// `#graphql` string with a unique operation named Kembali…, so tooling can read it and
// test/unit/shopify/documents.test.ts validates all of them against Shopify's schema.
// Only documents are exported from this module.

export const SHOP_INFO = `#graphql
  query KembaliShopInfo {
    shop {
      name
      currencyCode
      ianaTimezone
    }
  }
`;

export const ACCESS_SCOPES = `#graphql
  query KembaliAccessScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation KembaliDiscountCodeBasicCreate($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `#graphql
  mutation KembaliDiscountCodeFreeShippingCreate($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const DISCOUNT_CODE_BASIC_UPDATE = `#graphql
  mutation KembaliDiscountCodeBasicUpdate($id: ID!, $discount: DiscountCodeBasicInput!) {
    discountCodeBasicUpdate(id: $id, basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

// The title tells Kembali's own discount (an earlier attempt whose answer was lost) from
// another discount that has the same code.
export const DISCOUNT_CODE_BY_CODE = `#graphql
  query KembaliDiscountCodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
        }
        ... on DiscountCodeFreeShipping {
          title
        }
        ... on DiscountCodeBxgy {
          title
        }
        ... on DiscountCodeApp {
          title
        }
      }
    }
  }
`;

export const DISCOUNT_CODE_DEACTIVATE = `#graphql
  mutation KembaliDiscountCodeDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const DISCOUNT_USAGE = `#graphql
  query KembaliDiscountUsage($id: ID!) {
    codeDiscountNode(id: $id) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          status
          asyncUsageCount
        }
        ... on DiscountCodeFreeShipping {
          status
          asyncUsageCount
        }
        ... on DiscountCodeBxgy {
          status
          asyncUsageCount
        }
        ... on DiscountCodeApp {
          status
          asyncUsageCount
        }
      }
    }
  }
`;

export const STORE_CREDIT_ACCOUNT_CREDIT = `#graphql
  mutation KembaliStoreCreditAccountCredit($ownerId: ID!, $credit: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $ownerId, creditInput: $credit) {
      storeCreditAccountTransaction {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

// The page sizes inside an order are variables so graphql.server.ts owns them and can tell
// when an order had more lines or refunds than one page carries.
export const PAID_ORDERS = `#graphql
  query KembaliPaidOrders(
    $first: Int!
    $after: String
    $query: String!
    $sortKey: OrderSortKeys!
    $linesPerOrder: Int!
    $refundsPerOrder: Int!
    $linesPerRefund: Int!
  ) {
    orders(first: $first, after: $after, query: $query, sortKey: $sortKey) {
      nodes {
        id
        currencyCode
        createdAt
        processedAt
        updatedAt
        cancelledAt
        displayFinancialStatus
        customer {
          id
          firstName
          lastName
          defaultEmailAddress {
            emailAddress
          }
        }
        subtotalPriceSet {
          shopMoney {
            amount
          }
        }
        totalPriceSet {
          shopMoney {
            amount
          }
        }
        totalShippingPriceSet {
          shopMoney {
            amount
          }
        }
        totalTaxSet {
          shopMoney {
            amount
          }
        }
        lineItems(first: $linesPerOrder) {
          nodes {
            title
            quantity
            product {
              id
            }
            variant {
              id
            }
            originalUnitPriceSet {
              shopMoney {
                amount
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        refunds(first: $refundsPerOrder) {
          id
          createdAt
          updatedAt
          totalRefundedSet {
            shopMoney {
              amount
            }
          }
          refundLineItems(first: $linesPerRefund) {
            nodes {
              subtotalSet {
                shopMoney {
                  amount
                }
              }
            }
            pageInfo {
              hasNextPage
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const CUSTOMER_METAFIELDS_SET = `#graphql
  mutation KembaliCustomerMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const SHOP_ID = `#graphql
  query KembaliShopId {
    shop {
      id
    }
  }
`;

export const SHOP_METAFIELDS_SET = `#graphql
  mutation KembaliShopMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const SHOP_METAFIELDS_DELETE = `#graphql
  mutation KembaliShopMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const CUSTOMER_TAGS_ADD = `#graphql
  mutation KembaliCustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const CUSTOMER_TAGS_REMOVE = `#graphql
  mutation KembaliCustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const PRODUCT_FACTS = `#graphql
  query KembaliProductFacts($ids: [ID!]!, $collections: Int!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        tags
        collections(first: $collections) {
          nodes {
            id
          }
        }
      }
    }
  }
`;

export const MAIN_THEME_SETTINGS = `#graphql
  query KembaliMainThemeSettings {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        name
        files(filenames: ["config/settings_data.json"], first: 1) {
          nodes {
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
        }
      }
    }
  }
`;

// VIP tier free shipping (decision 025): a segment of the customers carrying a tier's tag, and
// an automatic free-shipping discount whose context is that segment (context on automatic
// discounts is new in 2025-10), so tier members get it at checkout with no code.
export const SEGMENT_CREATE = `#graphql
  mutation KembaliSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

// Segment names are unique per shop: after a create whose answer was lost, Kembali finds its
// segment by name.
export const SEGMENTS_BY_NAME = `#graphql
  query KembaliSegmentsByName($query: String!) {
    segments(first: 10, query: $query) {
      nodes {
        id
        name
        query
      }
    }
  }
`;

export const DISCOUNT_AUTOMATIC_FREE_SHIPPING_CREATE = `#graphql
  mutation KembaliDiscountAutomaticFreeShippingCreate($discount: DiscountAutomaticFreeShippingInput!) {
    discountAutomaticFreeShippingCreate(freeShippingAutomaticDiscount: $discount) {
      automaticDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

// After a create whose answer was lost: Kembali's automatic discount is found by its title.
export const AUTOMATIC_DISCOUNTS_BY_TITLE = `#graphql
  query KembaliAutomaticDiscountsByTitle($query: String!) {
    discountNodes(first: 10, query: $query) {
      nodes {
        id
        discount {
          ... on DiscountAutomaticFreeShipping {
            title
          }
        }
      }
    }
  }
`;

export const DISCOUNT_AUTOMATIC_ACTIVATE = `#graphql
  mutation KembaliDiscountAutomaticActivate($id: ID!) {
    discountAutomaticActivate(id: $id) {
      automaticDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const DISCOUNT_AUTOMATIC_DEACTIVATE = `#graphql
  mutation KembaliDiscountAutomaticDeactivate($id: ID!) {
    discountAutomaticDeactivate(id: $id) {
      automaticDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

// What a recommendation card shows and whether the product may be recommended at all: its
// status, whether it is on the online store (onlineStoreUrl is null when it is not published
// there) and whether any variant can be bought (availableForSale covers stock and "continue
// selling when out of stock"). Priced by Shopify per product at about 6 + the variants asked
// for, so a call asks for a few dozen products (graphql.server.ts).
export const PRODUCT_CARDS = `#graphql
  query KembaliProductCards($ids: [ID!]!, $variants: Int!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        title
        handle
        status
        onlineStoreUrl
        totalInventory
        featuredMedia {
          preview {
            image {
              url
              altText
            }
          }
        }
        priceRangeV2 {
          minVariantPrice {
            amount
            currencyCode
          }
        }
        variants(first: $variants) {
          nodes {
            availableForSale
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`;

// Each product's own "Customers also bought" list (kembali.also_bought, list.product_reference),
// at most 25 products per call (Shopify's limit for metafieldsSet).
export const PRODUCT_METAFIELDS_SET = `#graphql
  mutation KembaliProductMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const PRODUCT_METAFIELDS_DELETE = `#graphql
  mutation KembaliProductMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const WEB_PIXEL_CREATE = `#graphql
  mutation KembaliWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const WEB_PIXEL = `#graphql
  query KembaliWebPixel {
    webPixel {
      id
    }
  }
`;

export const WEB_PIXEL_UPDATE = `#graphql
  mutation KembaliWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Fires a Shopify Flow trigger of the app (extensions/kembali-flow-*) with its payload. */
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation KembaliFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
