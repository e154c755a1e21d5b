import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin.server";
import { findShop, saveEarningRate } from "~/domain/shops";
import { KembaliError } from "~/domain/errors";
import { currencyExponent, formatMoney, parseMoney } from "~/domain/money";
import { pointsForOrder } from "~/domain/earning";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request);
  const record = await findShop(prisma, shop);
  if (!record) throw new Response("Shop not installed", { status: 404 });
  return { currency: record.currency, earning: record.settings.earning };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await adminContext(request);
  const form = await request.formData();
  try {
    const settings = await saveEarningRate(prisma, shop, {
      points: String(form.get("points") ?? ""),
      perAmount: String(form.get("perAmount") ?? ""),
    });
    return { ok: true as const, earning: settings.earning, fields: {} as Record<string, MessageKey> };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      return { ok: false as const, fields: (error.details?.fields ?? {}) as Record<string, MessageKey> };
    }
    throw error;
  }
}

/** Minor units -> the plain decimal a merchant types ("1000" IDR, "1.00" USD). */
function toInput(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? String(minor) : (minor / 10 ** exponent).toFixed(exponent).replace(/\.?0+$/, "");
}

export default function Program() {
  const { currency, earning } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useT();
  const [points, setPoints] = useState(String(earning.points));
  const [perAmount, setPerAmount] = useState(toInput(earning.perAmount, currency));

  // Live example: an order of 250 × the "for every" amount, with what the form says now.
  let example: string | null = null;
  try {
    const per = parseMoney(perAmount.trim(), currency).amount;
    const pts = Number(points);
    if (per > 0 && Number.isSafeInteger(pts) && pts >= 0) {
      const subtotal = per * 250;
      example = t("program.example", {
        amount: formatMoney({ amount: subtotal, currency }, intlLocale(locale)),
        points: new Intl.NumberFormat(intlLocale(locale)).format(
          pointsForOrder({ subtotal }, { earning: { points: pts, perAmount: per } }),
        ),
      });
    }
  } catch {
    example = null;
  }
  const fieldError = (name: string) => (result && !result.ok && result.fields[name] ? t(result.fields[name]) : undefined);

  return (
    <Page title={t("program.title")}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("program.earning")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("program.earning.help")}
                </Text>
                {result && !result.ok ? <Banner tone="critical">{t("program.error")}</Banner> : null}
                {result?.ok ? <Banner tone="success">{t("program.saved")}</Banner> : null}
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={t("program.points")}
                      name="points"
                      type="number"
                      min={0}
                      value={points}
                      onChange={setPoints}
                      autoComplete="off"
                      error={fieldError("points")}
                    />
                    <TextField
                      label={t("program.perAmount", { currency })}
                      name="perAmount"
                      type="number"
                      min={0}
                      step={10 ** -currencyExponent(currency)}
                      value={perAmount}
                      onChange={setPerAmount}
                      autoComplete="off"
                      error={fieldError("perAmount")}
                    />
                  </FormLayout.Group>
                </FormLayout>
                <Text as="p" variant="headingSm" id="earning-example">
                  {example ?? "—"}
                </Text>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>
                    {t("program.save")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
