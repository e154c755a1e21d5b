// The survey card's rules (widget/src/survey.ts): when it shows, the scale of each kind, the
// body it sends and what it says after an answer, with the real en and id strings.
import { describe, expect, it } from "vitest";
import { COMMENT_MAX, afterAnswer, answerBody, dueSurvey, ends, offer, question, scale, type Due } from "../../../widget/src/survey";
import { COMMENT_MAX as SERVER_COMMENT_MAX, SCALES } from "../../../app/domain/surveys/settings";
import { en, id } from "./messages";

const nps = { kind: "nps", question: null, min: 0, max: 10, pointsForAnswer: 25, order: "5001" } as const;

describe("survey card: when it shows", () => {
  it("shows nothing when no survey is due or the answer is not one it understands", () => {
    expect(dueSurvey({ survey: null })).toBeNull();
    expect(dueSurvey(null)).toBeNull();
    expect(dueSurvey({ error: { code: "NOT_A_MEMBER" } })).toBeNull();
    expect(dueSurvey({ survey: { ...nps, kind: "stars" } })).toBeNull();
    // A scale that is not its kind's, or an order id that is not Shopify's.
    expect(dueSurvey({ survey: { ...nps, max: 100 } })).toBeNull();
    expect(dueSurvey({ survey: { ...nps, order: "../state" } })).toBeNull();
  });

  it("asks a due survey, on the scale of every kind the app has", () => {
    expect(dueSurvey({ survey: nps })).toEqual(nps);
    for (const [kind, { min, max }] of Object.entries(SCALES)) {
      const due = dueSurvey({ survey: { ...nps, kind, min, max } })!;
      expect(scale(due)).toEqual(Array.from({ length: max - min + 1 }, (_, i) => min + i));
    }
    expect(scale(nps)).toHaveLength(11);
  });

  it("offers points only when answering pays, and never a broken figure", () => {
    expect(offer(en, nps, "en")).toBe("Answer and earn 25 points");
    expect(offer(id, nps, "id")).toBe("Jawab dan dapatkan 25 poin");
    expect(offer(en, dueSurvey({ survey: { ...nps, pointsForAnswer: 0 } })!, "en")).toBe("");
    expect(dueSurvey({ survey: { ...nps, pointsForAnswer: -5 } })!.pointsForAnswer).toBe(0);
  });

  it("asks the merchant's question as given, else the built-in one of the kind, with its ends", () => {
    expect(question(en, nps)).toBe("How likely are you to recommend us to a friend?");
    expect(question(id, { ...nps, kind: "csat", min: 1, max: 5 })).toBe("Seberapa puas Anda dengan pesanan Anda?");
    const own = dueSurvey({ survey: { ...nps, question: "<b>Suka kopinya?</b>" } })!;
    expect(question(id, own)).toBe("<b>Suka kopinya?</b>");
    expect(dueSurvey({ survey: { ...nps, question: "  " } })!.question).toBeNull();
    expect(ends(en, nps)).toEqual(["Not likely", "Very likely"]);
    expect(ends(id, { ...nps, kind: "ces" } as Due)).toEqual(["Sangat sulit", "Sangat mudah"]);
  });
});

describe("survey card: the answer", () => {
  it("sends nothing before a score is chosen, or one off the scale", () => {
    expect(answerBody(nps, null, "hi")).toBeNull();
    expect(answerBody(nps, 11, "")).toBeNull();
    expect(answerBody({ ...nps, min: 1 }, 0, "")).toBeNull();
  });

  it("sends the order, the score and the trimmed comment (none when empty), within the app's limit", () => {
    expect(answerBody(nps, 0, "")).toEqual({ order: "5001", score: 0, comment: null });
    expect(answerBody(nps, 9, "  Enak!  ")).toEqual({ order: "5001", score: 9, comment: "Enak!" });
    expect(COMMENT_MAX).toBe(SERVER_COMMENT_MAX);
    expect(answerBody(nps, 7, "x".repeat(COMMENT_MAX + 50))!.comment).toHaveLength(COMMENT_MAX);
  });

  it("thanks, says the points paid, and gives a promoter the referral link", () => {
    const url = "https://kopi.example/?ref=ANNA-7Q2";
    expect(afterAnswer(en, { group: "promoter", pointsAwarded: 25, referral: { code: "ANNA-7Q2", url } }, "en")).toEqual({
      view: { kind: "thanks", text: "Thank you for your answer!", paid: "You earned 25 points for answering.", referral: url },
    });
    expect(afterAnswer(id, { group: "passive", pointsAwarded: 1, referral: null }, "id")).toEqual({
      view: { kind: "thanks", text: "Terima kasih atas jawaban Anda!", paid: "Anda mendapat 1 poin karena menjawab.", referral: null },
    });
  });

  it("gives no link to a detractor, nor one that is not https or same-origin, and no points line when none were paid", () => {
    const detractor = afterAnswer(en, { group: "detractor", pointsAwarded: 0, referral: { code: "X", url: "https://a.example/" } }, "en");
    expect(detractor).toEqual({ view: { kind: "thanks", text: "Thank you for your answer!", paid: "", referral: null } });
    const sneaky = afterAnswer(en, { group: "promoter", pointsAwarded: 0, referral: { code: "X", url: "javascript:alert(1)" } }, "en");
    expect("view" in sneaky && sneaky.view.kind == "thanks" && sneaky.view.referral).toBeNull();
  });

  it("says the error in the shopper's words and keeps the question", () => {
    expect(afterAnswer(en, { error: { code: "SURVEY_NOT_DUE", message: "answered" } }, "en")).toEqual({
      error: "This survey was already answered, or can no longer be answered.",
    });
    expect(afterAnswer(id, { error: { code: "RATE_LIMITED" } }, "id")).toEqual({ error: id.err_RATE_LIMITED });
    expect(afterAnswer(en, { error: { code: "SOMETHING_NEW" } }, "en")).toEqual({ error: en.oops });
    expect(afterAnswer(en, "<html>", "en")).toEqual({ error: en.oops });
  });
});
