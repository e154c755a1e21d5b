// The sender in a process of its own, for the crash test: one pass of sendDueMessages over one
// shop at a given time, against the SMTP server in SMTP_URL. With KEMBALI_TEST_CRASH_AFTER_SEND=1
// it dies (SIGKILL) right after the mail server accepted a message, before that is recorded.
import prisma, { transaction } from "~/db.server";
import { TEST_API_SECRET } from "~/config.server";
import { mailFrom, sendMail } from "~/mail.server";
import { sendDueMessages } from "~/domain/messages/sending";

const now = new Date(process.env.KEMBALI_TEST_NOW ?? "");
const shopId = process.env.KEMBALI_TEST_SHOP ?? "";
if (Number.isNaN(now.getTime()) || !shopId) throw new Error("KEMBALI_TEST_NOW and KEMBALI_TEST_SHOP are required");
const result = await sendDueMessages(
  {
    db: prisma,
    clock: () => now,
    transaction: transaction(prisma),
    sendMail,
    mailFrom,
    appUrl: "http://127.0.0.1:3000",
    secret: TEST_API_SECRET,
  },
  { shopId },
);
process.stdout.write(JSON.stringify(result));
await prisma.$disconnect();
