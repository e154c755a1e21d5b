import { useNavigation, useSubmit } from "@remix-run/react";
import { useState } from "react";
import { BlockStack, Button, InlineStack, TextField } from "@shopify/polaris";
import type { ReferralStatus } from "~/domain/referrals";
import type { QueueRow } from "~/admin/referrals";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

export const NOTE_MAX = 500;

/** The decisions a merchant can take on a referral in its status: a reject of a rewarded one reverses the reward. */
function choices(status: ReferralStatus): Array<{ decision: "approve" | "reject"; label: MessageKey }> {
  switch (status) {
    case "pending":
    case "held_for_review":
      return [
        { decision: "approve", label: "referrals.approve" },
        { decision: "reject", label: "referrals.reject" },
      ];
    case "approved":
      return [{ decision: "reject", label: "referrals.reject" }];
    case "rewarded":
      return [{ decision: "reject", label: "referrals.reverse" }];
    case "rejected":
      return [{ decision: "approve", label: "referrals.unreject" }];
    case "cancelled":
      return [{ decision: "approve", label: "referrals.approve" }];
  }
}

export function Decide({ row }: { row: QueueRow }) {
  const { t } = useT();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [note, setNote] = useState("");
  const busy = navigation.state === "submitting" && navigation.formData?.get("referralId") === row.id;
  return (
    <BlockStack gap="100">
      <TextField
        label={t("referrals.note")}
        labelHidden
        placeholder={t("referrals.note")}
        value={note}
        onChange={setNote}
        maxLength={NOTE_MAX}
        autoComplete="off"
        size="slim"
      />
      <InlineStack gap="100">
        {choices(row.status).map((c) => (
          <Button
            key={c.decision}
            size="slim"
            variant={c.decision === "approve" ? "primary" : undefined}
            tone={c.decision === "reject" ? "critical" : undefined}
            loading={busy && navigation.formData?.get("decision") === c.decision}
            disabled={busy}
            onClick={() => submit({ referralId: row.id, decision: c.decision, note }, { method: "post" })}
          >
            {t(c.label)}
          </Button>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
