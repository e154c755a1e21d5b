import { useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Button, FormLayout, InlineStack, Select, TextField } from "@shopify/polaris";
import type { SurveysPage } from "~/admin/surveys";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

type Filters = SurveysPage["filters"];
const KEYS = ["group", "score", "tier", "segment", "channel", "from", "to"] as const;
type Key = (typeof KEYS)[number];
const asForm = (f: Filters) => Object.fromEntries(KEYS.map((k) => [k, f[k] === undefined ? "" : String(f[k])])) as Record<Key, string>;

/** The filters as a query string (without the page): the list's and the CSV's. */
export function filterParams(f: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(asForm(f))) if (v) params.set(k, v);
  return params;
}

/** Score group or score, tier, segment, channel and dates; applying them goes back to page 1. */
export function FiltersForm({ filters, options }: { filters: Filters; options: SurveysPage["responses"]["options"] }) {
  const { t } = useT();
  const [, setParams] = useSearchParams();
  const current = JSON.stringify(asForm(filters));
  const [form, setForm] = useState(asForm(filters));
  useEffect(() => setForm(JSON.parse(current) as Record<Key, string>), [current]);
  const set = (k: Key) => (value: string) => setForm((f) => ({ ...f, [k]: value }));
  const any = t("surveys.filter.any");
  const apply = (next: Record<Key, string>) => {
    const params = new URLSearchParams();
    for (const k of KEYS) if (next[k]) params.set(k, next[k]);
    setParams(params, { preventScrollReset: true });
  };
  const scores = Array.from({ length: 11 }, (_, s) => ({ value: String(s), label: String(s) }));
  return (
    <FormLayout>
      <FormLayout.Group condensed>
        <Select
          label={t("surveys.filter.group")}
          options={[
            { value: "", label: any },
            ...(["detractor", "passive", "promoter"] as const).map((g) => ({ value: g, label: t(`surveys.group.${g}`) })),
          ]}
          value={form.group}
          onChange={set("group")}
        />
        <Select
          label={t("surveys.filter.score")}
          options={[{ value: "", label: any }, ...scores]}
          value={form.score}
          onChange={set("score")}
        />
        <Select
          label={t("surveys.filter.tier")}
          options={[{ value: "", label: any }, ...options.tiers.map((o) => ({ value: o.key, label: o.name }))]}
          value={form.tier}
          onChange={set("tier")}
        />
        <Select
          label={t("surveys.filter.segment")}
          options={[{ value: "", label: any }, ...options.segments.map((s) => ({ value: s, label: t(`segment.${s}` as MessageKey) }))]}
          value={form.segment}
          onChange={set("segment")}
        />
      </FormLayout.Group>
      <FormLayout.Group condensed>
        <Select
          label={t("surveys.filter.channel")}
          options={[
            { value: "", label: any },
            ...(["checkout", "account", "storefront"] as const).map((c) => ({ value: c, label: t(`surveys.channel.${c}`) })),
          ]}
          value={form.channel}
          onChange={set("channel")}
        />
        <TextField label={t("surveys.filter.from")} type="date" value={form.from} onChange={set("from")} autoComplete="off" />
        <TextField label={t("surveys.filter.to")} type="date" value={form.to} onChange={set("to")} autoComplete="off" />
      </FormLayout.Group>
      <InlineStack gap="200">
        <Button variant="primary" onClick={() => apply(form)}>
          {t("surveys.filter.apply")}
        </Button>
        <Button onClick={() => apply(asForm({ page: 1 } as Filters))}>{t("surveys.filter.clear")}</Button>
      </InlineStack>
    </FormLayout>
  );
}
