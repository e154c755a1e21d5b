// Is the app embed on? Shopify has no direct answer: the live theme's config/settings_data.json
// lists app embed blocks under current.blocks, each with its type
// ("shopify://apps/<app>/blocks/app_embed/<uuid>") and `disabled`. The file may start with a
// comment block, which JSON does not allow.
export function appEmbedEnabled(settingsData: string, appHandle = "kembali", block = "app_embed"): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settingsData.replace(/\/\*[\s\S]*?\*\//g, ""));
  } catch {
    return false;
  }
  const current = (parsed as { current?: unknown })?.current;
  const blocks = typeof current === "object" && current !== null ? (current as { blocks?: unknown }).blocks : undefined;
  if (typeof blocks !== "object" || blocks === null) return false;
  return Object.values(blocks as Record<string, { type?: unknown; disabled?: unknown }>).some(
    (b) => typeof b?.type === "string" && b.type.includes(`/apps/${appHandle}/blocks/${block}/`) && b.disabled !== true,
  );
}
