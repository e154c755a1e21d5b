import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import polarisEn from "@shopify/polaris/locales/en.json";
import { useState } from "react";
import { login } from "~/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

// login() redirects to OAuth for a valid ?shop=, otherwise says what is wrong. It reads a GET's
// query and any other method's form body: a HEAD is asked as the GET it stands for, and a body
// that is not a form is refused (400), not thrown at the library (a 500).
async function loginErrors(request: Request) {
  if (request.method === "HEAD") request = new Request(request.url, { headers: request.headers });
  if (request.method !== "GET") {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    if (!form) throw new Response("Send the shop domain as a form", { status: 400 });
  }
  const result = await login(request);
  return { shopError: result?.shop ?? null };
}

export const loader = ({ request }: LoaderFunctionArgs) => loginErrors(request);
export const action = ({ request }: ActionFunctionArgs) => loginErrors(request);

export default function Login() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = (acted ?? loaded).shopError;
  return (
    <AppProvider i18n={polarisEn}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                Log in to Kembali
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error ? "Enter a valid myshopify.com domain" : undefined}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
