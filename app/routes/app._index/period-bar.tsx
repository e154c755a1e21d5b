import { Form, useNavigate, useNavigation } from "@remix-run/react";
import { Banner, Button, ButtonGroup, InlineStack, Layout, Spinner, Text } from "@shopify/polaris";
import { DASHBOARD_PERIODS, type Dashboard } from "~/domain/analytics/dashboard";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

/** The period's buttons, when the figures were computed, "Refresh figures", and whether they are being computed. */
export function PeriodBar({
  dashboard,
  date,
}: {
  dashboard: Pick<Dashboard, "days" | "asOf" | "refreshing" | "status">;
  date: Intl.DateTimeFormat;
}) {
  const navigation = useNavigation();
  const navigate = useNavigate();
  const { t } = useT();
  return (
    <>
      <Layout.Section>
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <ButtonGroup variant="segmented">
            {DASHBOARD_PERIODS.map((days) => (
              // A button, not a link: Polaris shows (and announces) "pressed" on buttons only.
              <Button
                key={days}
                pressed={dashboard.days === days}
                onClick={() => navigate(`/app?days=${days}`, { preventScrollReset: true })}
              >
                {t(`dash.period.${days}` as MessageKey)}
              </Button>
            ))}
          </ButtonGroup>
          <InlineStack gap="300" blockAlign="center">
            {dashboard.asOf ? (
              <Text as="span" tone="subdued" variant="bodySm">
                {t("dash.asOf", { date: date.format(new Date(dashboard.asOf)) })}
              </Text>
            ) : null}
            <Form method="post">
              <Button submit disabled={dashboard.refreshing} loading={navigation.state === "submitting"}>
                {t("dash.refresh")}
              </Button>
            </Form>
          </InlineStack>
        </InlineStack>
      </Layout.Section>

      {dashboard.status === "preparing" ? (
        <Layout.Section>
          <Banner tone="info">
            <InlineStack gap="200" blockAlign="center">
              <Spinner size="small" accessibilityLabel={t("dash.preparing")} />
              <Text as="p">{t("dash.preparing")}</Text>
            </InlineStack>
          </Banner>
        </Layout.Section>
      ) : dashboard.refreshing ? (
        <Layout.Section>
          <Text as="p" tone="subdued" variant="bodySm">
            {t("dash.refreshing")}
          </Text>
        </Layout.Section>
      ) : null}
    </>
  );
}
