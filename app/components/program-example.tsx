import { useState } from "react";
import { Banner, BlockStack, Card, Divider, InlineGrid, List, Text, TextField } from "@shopify/polaris";
import { orderEarnings, type OrderEarningInput } from "~/domain/earning/earning";
import { formatMoney } from "../../common/money";
import { exampleSettings, minorUnits, wholeUnits, type ProgramForm } from "~/admin/program";
import type { ProgramSettings } from "~/domain/earning/program";
import { useT } from "./use-t";

/**
 * What an order earns under the form as it stands, computed in the browser by the same
 * earning rules the orders/paid webhook runs.
 */
export function ProgramExample({
  form,
  currency,
  saved,
  now,
}: {
  form: ProgramForm;
  currency: string;
  saved: ProgramSettings;
  /** The moment of the example order (the page's load time, so server and browser agree). */
  now: string;
}) {
  const { t, n, day, intl } = useT();
  const money = (amount: number) => formatMoney({ amount, currency }, intl);
  const [order, setOrder] = useState({
    subtotal: wholeUnits(saved.earning.perAmount * 250, currency),
    shipping: "0",
    tax: "0",
  });
  const field = (name: keyof typeof order, label: string) => (
    <TextField
      label={label}
      type="number"
      min={0}
      value={order[name]}
      onChange={(value) => setOrder((o) => ({ ...o, [name]: value }))}
      autoComplete="off"
    />
  );

  const example = exampleSettings(form, currency, saved);
  const amounts = {
    subtotal: minorUnits(order.subtotal, currency),
    shipping: minorUnits(order.shipping, currency),
    tax: minorUnits(order.tax, currency),
  };
  const valid = Object.values(amounts).every((a) => Number.isSafeInteger(a));
  const paidAt = new Date(now);
  const input: OrderEarningInput = { ...amounts, paidAt, customerTags: [], tierMultiplier: 1, lines: [] };

  let body: JSX.Element;
  if (!example) {
    body = <Banner tone="warning">{t("program.example.invalid")}</Banner>;
  } else if (!valid) {
    body = <Banner tone="warning">{t("program.example.order.invalid")}</Banner>;
  } else {
    const { settings } = example;
    const earned = orderEarnings(input, settings);
    const lines: string[] = [];
    for (const part of earned.breakdown) {
      const points = n.format(part.points);
      if (part.rule === "base") lines.push(t("program.example.base", { points }));
      if (part.rule === "campaign") {
        const name = settings.campaigns.find((c) => c.id === part.detail)?.name ?? "";
        lines.push(t("program.example.campaign", { points, name }));
      }
      if (part.rule === "cashback") lines.push(t("program.example.cashback", { points, percent: `${settings.cashback.percent}%` }));
    }
    const { pendingDays } = settings.earning;
    lines.push(
      pendingDays === 0
        ? t("program.example.immediate")
        : t("program.example.pending", { days: n.format(pendingDays), date: day.format(earned.availableAt) }),
    );
    // Other moments and baskets, each with the real rules: campaigns still to come, multiplied products.
    const others: string[] = [];
    for (const c of settings.campaigns) {
      const starts = new Date(c.startsAt);
      if (starts <= paidAt || new Date(c.endsAt) <= paidAt) continue;
      const during = orderEarnings({ ...input, paidAt: starts }, settings);
      others.push(t("program.example.during", { name: c.name, date: day.format(starts), points: n.format(during.points) }));
    }
    for (const m of settings.multipliers) {
      const id = m.appliesTo.ids[0];
      const line = {
        productId: m.appliesTo.type === "product" ? id : null,
        collectionIds: m.appliesTo.type === "collection" ? [id] : [],
        productTags: [],
        quantity: 1,
        price: Math.max(amounts.subtotal, 1),
      };
      const multiplied = orderEarnings({ ...input, lines: [line] }, settings);
      others.push(t("program.example.multiplier", { multiplier: String(m.multiplier), points: n.format(multiplied.points) }));
    }
    if (settings.stamps.enabled) {
      const vars = { target: n.format(settings.stamps.target), points: n.format(settings.stamps.rewardPoints) };
      others.push(t(settings.stamps.counts === "orders" ? "program.example.stamps.orders" : "program.example.stamps.products", vars));
    }
    const { referral } = settings;
    if (referral.enabled) {
      const reward = referral.friendReward.type === "percentage" ? `${referral.friendReward.value}%` : money(referral.friendReward.value);
      const days = referral.holdDays ?? pendingDays;
      others.push(t("program.example.referral", { reward, points: n.format(referral.referrerPoints), days: n.format(days) }));
    }
    const { expiry } = settings;
    others.push(t(`program.example.expiry.${expiry.mode}`, { months: n.format(expiry.months) }));

    body = (
      <BlockStack gap="300">
        <Text as="p" variant="headingMd" id="earning-example">
          {t("program.example", {
            amount: money(amounts.subtotal + amounts.shipping + amounts.tax),
            points: n.format(earned.points),
          })}
        </Text>
        <List type="bullet">
          {lines.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
        {others.length ? <Divider /> : null}
        {others.length ? (
          <List type="bullet">
            {others.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        ) : null}
        {example.complete ? null : (
          <Text as="p" variant="bodySm" tone="caution">
            {t("program.example.partial")}
          </Text>
        )}
      </BlockStack>
    );
  }

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("program.example.title")}
        </Text>
        {field("subtotal", t("program.example.subtotal", { currency }))}
        <InlineGrid columns={2} gap="200">
          {field("shipping", t("program.example.shipping"))}
          {field("tax", t("program.example.tax"))}
        </InlineGrid>
        {body}
      </BlockStack>
    </Card>
  );
}
