/**
 * Downloads a file through fetch (inside the Shopify admin, App Bridge adds the session token
 * to fetch, not to a plain link), then hands it to the browser under the server's file name.
 */
export async function downloadThroughFetch(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(String(res.status));
  const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
  const objectUrl = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = objectUrl;
  a.download = name;
  a.click();
  URL.revokeObjectURL(objectUrl);
}
