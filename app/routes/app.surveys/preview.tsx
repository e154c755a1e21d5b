import { BlockStack, Box, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { SURVEY_TEXTS, surveyPointsLine, type ShopperLocale } from "../../../common/survey-questions";
import type { SurveysPage } from "~/admin/surveys";
import { useT } from "~/components/use-t";

type Form = { kind: keyof SurveysPage["scales"]; questionEn: string; questionId: string; pointsForAnswer: string };

/** The question as shoppers see it, in English and Bahasa Indonesia, as the form stands now. */
export function SurveyPreview({ form, scales }: { form: Form; scales: SurveysPage["scales"] }) {
  const { t } = useT();
  const points = /^\d+$/.test(form.pointsForAnswer) ? Number(form.pointsForAnswer) : 0;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("surveys.preview")}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
        {(["en", "id"] as const).map((locale) => (
          <LocalePreview
            key={locale}
            locale={locale}
            label={t(locale === "en" ? "surveys.preview.en" : "surveys.preview.id")}
            question={(locale === "en" ? form.questionEn : form.questionId).trim() || SURVEY_TEXTS[locale][form.kind].question}
            kind={form.kind}
            scale={scales[form.kind]}
            points={points}
          />
        ))}
      </InlineGrid>
    </BlockStack>
  );
}

function LocalePreview(props: {
  locale: ShopperLocale;
  label: string;
  question: string;
  kind: Form["kind"];
  scale: { min: number; max: number };
  points: number;
}) {
  const texts = SURVEY_TEXTS[props.locale][props.kind];
  const scores: number[] = [];
  for (let s = props.scale.min; s <= props.scale.max; s++) scores.push(s);
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200" data-preview={props.locale}>
      <BlockStack gap="200">
        <Text as="p" variant="bodySm" tone="subdued">
          {props.label}
        </Text>
        <div lang={props.locale}>
          <BlockStack gap="200">
            <Text as="p" variant="bodyMd" fontWeight="semibold">
              {props.question}
            </Text>
            <div role="group" aria-label={props.question} style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
              {scores.map((s) => (
                <span
                  key={s}
                  data-score={s}
                  style={{
                    minWidth: 28,
                    padding: "4px 6px",
                    textAlign: "center",
                    border: "1px solid var(--p-color-border)",
                    borderRadius: 6,
                  }}
                >
                  {s}
                </span>
              ))}
            </div>
            <InlineStack align="space-between">
              <Text as="span" variant="bodySm" tone="subdued">
                {texts.low}
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                {texts.high}
              </Text>
            </InlineStack>
            {props.points > 0 ? (
              <Text as="p" variant="bodySm" data-points-line>
                {surveyPointsLine(props.locale, props.points)}
              </Text>
            ) : null}
          </BlockStack>
        </div>
      </BlockStack>
    </Box>
  );
}
