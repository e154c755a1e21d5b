import type { ReactNode } from "react";

export const GROUP_TONE = { detractor: "critical", passive: undefined, promoter: "success" } as const;

/** Text that wraps inside its cell: Polaris' data table keeps every cell on one line. */
export function Wrap({ children, min = "12rem" }: { children: ReactNode; min?: string }) {
  return <div style={{ whiteSpace: "pre-wrap", minWidth: min, overflowWrap: "anywhere" }}>{children}</div>;
}
