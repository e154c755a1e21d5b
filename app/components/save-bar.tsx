import { useEffect, useState } from "react";
import { Button, InlineStack, Text } from "@shopify/polaris";

type AppBridgeSaveBar = { show(id: string): Promise<void>; hide(id: string): Promise<void> };

/** App Bridge's save bar API, when App Bridge is loaded (inside the Shopify admin). */
function appBridgeSaveBar(): AppBridgeSaveBar | null {
  if (typeof window === "undefined") return null;
  return (window as unknown as { shopify?: { saveBar?: AppBridgeSaveBar } }).shopify?.saveBar ?? null;
}

/**
 * Shopify's contextual save bar: appears while a form has unsaved changes, with Save and
 * Discard. Inside the admin it is App Bridge's `<ui-save-bar>`; without App Bridge (demo mode
 * on this computer) the same bar is drawn by the page, fixed to the top of the window.
 */
export function SaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
  labels,
}: {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
  labels: { message: string; save: string; discard: string };
}) {
  // Known only in the browser, after hydration: the server renders the page's own bar.
  const [appBridge, setAppBridge] = useState<AppBridgeSaveBar | null>(null);
  useEffect(() => setAppBridge(appBridgeSaveBar()), []);
  useEffect(() => {
    if (!appBridge) return;
    void (dirty ? appBridge.show(id) : appBridge.hide(id));
  }, [appBridge, dirty, id]);

  if (appBridge) {
    return (
      <ui-save-bar id={id}>
        <button {...{ variant: "primary" }} {...(saving ? { loading: "" } : {})} onClick={onSave}>
          {labels.save}
        </button>
        <button onClick={onDiscard}>{labels.discard}</button>
      </ui-save-bar>
    );
  }
  if (!dirty) return null;
  return (
    <div
      id={id}
      role="region"
      aria-label={labels.message}
      style={{
        position: "fixed",
        insetBlockStart: 0,
        insetInline: 0,
        zIndex: 519,
        background: "var(--p-color-bg-inverse)",
        padding: "var(--p-space-300) var(--p-space-500)",
        boxShadow: "var(--p-shadow-300)",
      }}
    >
      <InlineStack align="space-between" blockAlign="center" gap="400">
        <Text as="p" variant="headingSm" tone="text-inverse">
          {labels.message}
        </Text>
        <InlineStack gap="200">
          <Button onClick={onDiscard} disabled={saving}>
            {labels.discard}
          </Button>
          <Button variant="primary" onClick={onSave} loading={saving}>
            {labels.save}
          </Button>
        </InlineStack>
      </InlineStack>
    </div>
  );
}
