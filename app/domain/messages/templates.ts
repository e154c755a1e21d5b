// The built-in texts of every message, in English and Bahasa Indonesia. A merchant's own subject
// or body replaces them per language (settings.ts). Plain text with {{variables}} (catalog.ts):
// a blank line starts a paragraph; {{products}} on its own line becomes product cards.
import type { MessageKey } from "./catalog";

export type MessageLocale = "en" | "id";
export const MESSAGE_LOCALES: readonly MessageLocale[] = ["en", "id"];

interface Template {
  subject: string;
  body: string;
}

export const DEFAULT_TEMPLATES: Record<MessageKey, Record<MessageLocale, Template>> = {
  welcome: {
    en: {
      subject: "Welcome to {{shop_name}} rewards",
      body: "Hi {{name}},\n\nYou're now a member of {{shop_name}} rewards: every order earns points you can spend on rewards.\n\n{{reward_name}} {{code}}\n\nShare your link and you both get a treat: {{referral_link}}\n\n{{products}}",
    },
    id: {
      subject: "Selamat datang di program hadiah {{shop_name}}",
      body: "Halo {{name}},\n\nKamu sekarang anggota program hadiah {{shop_name}}: setiap pesanan memberi poin yang bisa ditukar dengan hadiah.\n\n{{reward_name}} {{code}}\n\nBagikan tautanmu dan kalian berdua dapat hadiah: {{referral_link}}\n\n{{products}}",
    },
  },
  points_earned: {
    en: {
      subject: "You earned {{points}} points",
      body: "Hi {{name}},\n\nYour order {{order_name}} earned {{points}} points. Your balance: {{balance}} points.",
    },
    id: {
      subject: "Kamu mendapat {{points}} poin",
      body: "Halo {{name}},\n\nPesanan {{order_name}} memberimu {{points}} poin. Saldo poinmu: {{balance}} poin.",
    },
  },
  points_available: {
    en: {
      subject: "{{points}} points are ready to spend",
      body: "Hi {{name}},\n\n{{points}} points are now yours to spend. Your balance: {{balance}} points.",
    },
    id: {
      subject: "{{points}} poin siap ditukar",
      body: "Halo {{name}},\n\n{{points}} poin sekarang bisa kamu tukar. Saldo poinmu: {{balance}} poin.",
    },
  },
  points_expiring: {
    en: {
      subject: "{{points}} points expire on {{expires_on}}",
      body: "Hi {{name}},\n\n{{points}} of your points expire on {{expires_on}}. Spend them on a reward before then: your balance is {{balance}} points.\n\n{{products}}",
    },
    id: {
      subject: "{{points}} poin akan hangus pada {{expires_on}}",
      body: "Halo {{name}},\n\n{{points}} poinmu akan hangus pada {{expires_on}}. Tukarkan dengan hadiah sebelum itu: saldomu {{balance}} poin.\n\n{{products}}",
    },
  },
  reward_issued: {
    en: {
      subject: "Your reward: {{reward_name}}",
      body: "Hi {{name}},\n\nHere is your reward, {{reward_name}}. Your code: {{code}}\n\nValid until {{expires_on}}.",
    },
    id: {
      subject: "Hadiahmu: {{reward_name}}",
      body: "Halo {{name}},\n\nIni hadiahmu, {{reward_name}}. Kodemu: {{code}}\n\nBerlaku sampai {{expires_on}}.",
    },
  },
  reward_expiring: {
    en: {
      subject: "Your {{reward_name}} expires on {{expires_on}}",
      body: "Hi {{name}},\n\nYour code {{code}} for {{reward_name}} expires on {{expires_on}}. Use it before then.\n\n{{products}}",
    },
    id: {
      subject: "{{reward_name}} milikmu berakhir pada {{expires_on}}",
      body: "Halo {{name}},\n\nKode {{code}} untuk {{reward_name}} berakhir pada {{expires_on}}. Gunakan sebelum itu.\n\n{{products}}",
    },
  },
  tier_up: {
    en: {
      subject: "You reached {{tier}}",
      body: "Hi {{name}},\n\nCongratulations: you are now {{tier}} at {{shop_name}}. Your balance: {{balance}} points.",
    },
    id: {
      subject: "Kamu naik ke {{tier}}",
      body: "Halo {{name}},\n\nSelamat: kamu sekarang {{tier}} di {{shop_name}}. Saldo poinmu: {{balance}} poin.",
    },
  },
  referral_rewarded: {
    en: {
      subject: "Your friend ordered: {{points}} points for you",
      body: "Hi {{name}},\n\nA friend you invited placed an order, so you earned {{points}} points. Your balance: {{balance}} points.\n\nInvite more friends: {{referral_link}}",
    },
    id: {
      subject: "Temanmu berbelanja: {{points}} poin untukmu",
      body: "Halo {{name}},\n\nTeman yang kamu undang sudah berbelanja, jadi kamu mendapat {{points}} poin. Saldo poinmu: {{balance}} poin.\n\nUndang teman lagi: {{referral_link}}",
    },
  },
  friend_rewarded: {
    en: {
      subject: "A welcome gift from your friend",
      body: "Hi {{name}},\n\nYour friend invited you to {{shop_name}}. Your welcome code: {{code}}\n\n{{products}}",
    },
    id: {
      subject: "Hadiah selamat datang dari temanmu",
      body: "Halo {{name}},\n\nTemanmu mengundangmu ke {{shop_name}}. Kode selamat datangmu: {{code}}\n\n{{products}}",
    },
  },
  stamp_reward: {
    en: {
      subject: "Your stamp card is complete",
      body: "Hi {{name}},\n\nYou collected {{stamps}} stamps and earned {{points}} points. Your balance: {{balance}} points.",
    },
    id: {
      subject: "Kartu stempelmu sudah penuh",
      body: "Halo {{name}},\n\nKamu mengumpulkan {{stamps}} stempel dan mendapat {{points}} poin. Saldo poinmu: {{balance}} poin.",
    },
  },
  survey_due: {
    en: {
      subject: "How was your order {{order_name}}?",
      body: "Hi {{name}},\n\nHow likely are you to recommend {{shop_name}} to a friend? One question, one tap: {{survey_link}}",
    },
    id: {
      subject: "Bagaimana pesanan {{order_name}}?",
      body: "Halo {{name}},\n\nSeberapa besar kemungkinan kamu merekomendasikan {{shop_name}} ke teman? Satu pertanyaan saja: {{survey_link}}",
    },
  },
  detractor_alert: {
    en: {
      subject: "A customer scored {{score}} on order {{order_name}}",
      body: "A customer answered the survey with {{score}} for order {{order_name}}.\n\nTheir comment: {{comment}}\n\nOpen Surveys in Kembali to reply or send an apology reward.",
    },
    id: {
      subject: "Seorang pelanggan memberi skor {{score}} untuk pesanan {{order_name}}",
      body: "Seorang pelanggan menjawab survei dengan skor {{score}} untuk pesanan {{order_name}}.\n\nKomentarnya: {{comment}}\n\nBuka Survei di Kembali untuk membalas atau mengirim hadiah permintaan maaf.",
    },
  },
  win_back: {
    en: {
      subject: "We miss you at {{shop_name}}",
      body: "Hi {{name}},\n\nIt's been a while. You still have {{balance}} points waiting for you.\n\n{{products}}",
    },
    id: {
      subject: "Kami rindu kamu di {{shop_name}}",
      body: "Halo {{name}},\n\nSudah lama tidak mampir. Masih ada {{balance}} poin menunggumu.\n\n{{products}}",
    },
  },
  replenishment: {
    en: {
      subject: "Time to restock?",
      body: "Hi {{name}},\n\nIt may be time for a refill of what you bought last time.\n\n{{products}}\n\nYour balance: {{balance}} points.",
    },
    id: {
      subject: "Saatnya stok ulang?",
      body: "Halo {{name}},\n\nMungkin sudah waktunya membeli lagi produk yang kamu beli terakhir kali.\n\n{{products}}\n\nSaldo poinmu: {{balance}} poin.",
    },
  },
};

/** The fixed texts around every message (greeting fallback, footer, buttons). */
export const FRAME_TEXTS: Record<
  MessageLocale,
  { someone: string; customer: string; unsubscribe: string; why: string; shop: string; answer: string; invite: string }
> = {
  en: {
    someone: "there",
    customer: "A guest",
    unsubscribe: "Unsubscribe from these emails",
    why: "You get this email because you are a member of {{shop_name}} rewards.",
    shop: "Shop now",
    answer: "Answer",
    invite: "Share your link",
  },
  id: {
    someone: "Kak",
    customer: "Seorang tamu",
    unsubscribe: "Berhenti berlangganan email ini",
    why: "Kamu menerima email ini karena kamu anggota program hadiah {{shop_name}}.",
    shop: "Belanja sekarang",
    answer: "Jawab",
    invite: "Bagikan tautanmu",
  },
};
