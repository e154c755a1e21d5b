// Shopper-facing strings. Keys ending in _one/_other are chosen with Intl.PluralRules;
// Indonesian has no plural forms, so both of its variants read the same.
// {n} is a formatted number, {amount} a formatted price.
const en = {
  title: "Rewards",
  close: "Close",
  loading: "Loading your rewards…",
  error: "We couldn't load your rewards right now.",
  retry: "Try again",
  balance: "Your balance",
  pending: "{n} pending: spendable after the return period",
  points_one: "{n} point",
  points_other: "{n} points",
  earn_one: "Earn {n} point for every {amount} spent",
  earn_other: "Earn {n} points for every {amount} spent",
  join: "Join our rewards program and collect points on every order.",
  member: "You collect points on every order.",
  signIn: "Sign in",
  register: "Create account",
  history: "Recent activity",
  noHistory: "No points activity yet.",
  kind_earn: "Points earned",
  kind_spend: "Points redeemed",
  kind_reverse: "Points reversed",
  kind_expire: "Points expired",
  kind_adjust: "Balance adjusted",
};

export type Messages = typeof en;
export type Lang = "en" | "id";

const id: Messages = {
  title: "Hadiah",
  close: "Tutup",
  loading: "Memuat hadiah Anda…",
  error: "Hadiah Anda belum bisa dimuat saat ini.",
  retry: "Coba lagi",
  balance: "Saldo Anda",
  pending: "{n} tertunda: bisa dipakai setelah masa retur",
  points_one: "{n} poin",
  points_other: "{n} poin",
  earn_one: "Dapatkan {n} poin setiap belanja {amount}",
  earn_other: "Dapatkan {n} poin setiap belanja {amount}",
  join: "Gabung program hadiah kami dan kumpulkan poin dari setiap pesanan.",
  member: "Anda mengumpulkan poin dari setiap pesanan.",
  signIn: "Masuk",
  register: "Buat akun",
  history: "Aktivitas terbaru",
  noHistory: "Belum ada aktivitas poin.",
  kind_earn: "Poin didapat",
  kind_spend: "Poin ditukar",
  kind_reverse: "Poin dibatalkan",
  kind_expire: "Poin kedaluwarsa",
  kind_adjust: "Saldo disesuaikan",
};

export const messages: Record<Lang, Messages> = { en, id };
