import prisma from "~/db.server";

// Liveness and database reachability, for load balancers and start-up checks.
export async function loader() {
  await prisma.shop.count({ take: 1 });
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
