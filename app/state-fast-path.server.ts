// GET /proxy/state answered ahead of Remix (docs/decisions/040-storefront-state-snapshot.md):
// server.js asks here first; a signed call whose answer is stored and current gets it with one
// prepared read, anything else (no stored answer, a stale one, a bad signature) goes on to the
// Remix route (app/routes/proxy.state.tsx), which answers it in full and stores the answer.
import { stateReads } from "./db.server";
import { clock } from "./deps.server";
import { signedShopper } from "./proxy.server";
import { stateLang } from "./domain/state-snapshot";

let currentBuild = "dev";

/** server.js names the build it serves (a hash of the server bundle): answers are stored and served per build. */
export function useStateBuild(build: string): void {
  currentBuild = build;
}

/** The build answers are stored for (the route's side). */
export const stateBuild = (): string => currentBuild;

/** The stored answer's JSON for this signed query (from "?"), or null to let the route answer. */
export async function storedState(search: string): Promise<string | null> {
  const shopper = signedShopper(search);
  if (!shopper) return null;
  const now = clock().getTime();
  return shopper.customerId
    ? stateReads.member(shopper.shop, shopper.customerId, stateLang(shopper.params.get("lang") ?? null), currentBuild, now)
    : stateReads.guest(shopper.shop, currentBuild, now);
}
