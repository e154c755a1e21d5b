import { describe, expect, test } from "vitest";
import {
  MAX_FILE_BYTES,
  MAX_ROWS,
  MemberCsvError,
  csvCell,
  csvLine,
  parseBirthday,
  parseMemberCsv,
  recogniseColumns,
} from "~/domain/members/member-csv";
import { EXPORT_HEADER } from "~/domain/members/member-export";

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof MemberCsvError ? error.reason : String(error);
  }
  return null;
};

describe("member CSV: recognising other apps' exports", () => {
  test("GIVEN Kembali's own export header THEN no column is read as carried-over points (they would count twice)", () => {
    const columns = recogniseColumns([...EXPORT_HEADER]);
    expect(Object.keys(columns).sort()).toEqual(["email", "referralCode", "shopifyCustomerId", "tier"]);
  });

  test("GIVEN Smile's points template (email, points) THEN email and points are read, emails lower-cased", () => {
    const csv = parseMemberCsv("email,points\nAyu@Example.com,52620\nbudi@example.com,0\n");
    expect(csv.columns).toEqual({ email: "email", points: "points" });
    expect(csv.rows.map((r) => [r.line, r.email, r.points, r.error])).toEqual([
      [2, "ayu@example.com", 52620, null],
      [3, "budi@example.com", 0, null],
    ]);
  });

  test("GIVEN a Yotpo export from Excel (BOM, CRLF, quoted commas, a blank line, MM/DD birthday) THEN every member is read with its line", () => {
    const file =
      "\uFEFFFull Name,First Name,Last Name,Email,Points Balance,Points Spent,Birthday (MM/DD)\r\n" +
      '"Lestari, Ayu",Ayu,Lestari,ayu@example.com,1200,300,03/14\r\n' +
      "\r\n" +
      '"Budi ""BB"" Santoso",Budi,Santoso,budi@example.com,80,0,\r\n' +
      ",,,,,,\r\n";
    const csv = parseMemberCsv(new TextEncoder().encode(file));
    expect(csv.columns).toEqual({ email: "Email", points: "Points Balance", birthday: "Birthday (MM/DD)" });
    expect(csv.rows).toEqual([
      expect.objectContaining({ line: 2, email: "ayu@example.com", points: 1200, birthday: { month: 3, day: 14 }, error: null }),
      expect.objectContaining({ line: 4, email: "budi@example.com", points: 80, birthday: null, error: null }),
    ]);
  });

  test("GIVEN Rivo's template, LoyaltyLion's and Joy's exports THEN the customer, balance and tier columns are found", () => {
    const rivo = parseMemberCsv(
      "Email,Points Balance,Birthdate,VIP Tier,Activation Date,Credits Balance\nsiti@example.com,450,1990-07-01,Gold,2024-01-01,0\n",
    );
    expect(rivo.columns).toEqual({ email: "Email", points: "Points Balance", birthday: "Birthdate", tier: "VIP Tier" });
    expect(rivo.rows[0]).toMatchObject({ points: 450, tier: "Gold", birthday: { month: 7, day: 1 } });

    const lion = parseMemberCsv("id,merchant_id,email,points_approved,points_pending,tier\n991,7001,a@example.com,300,40,Silver\n");
    expect(lion.columns).toEqual({ shopifyCustomerId: "merchant_id", email: "email", points: "points_approved", tier: "tier" });
    expect(lion.rows[0]).toMatchObject({ shopifyCustomerId: "7001", points: 300, tier: "Silver" });

    const joy = parseMemberCsv("Email,Name,Membership Type,Points,Birthday,Created Date\nb@example.com,Budi,Bronze,25,,2025-02-02\n");
    expect(joy.columns).toEqual({ email: "Email", points: "Points", tier: "Membership Type", birthday: "Birthday" });

    // A Shopify gid is accepted as the customer id; semicolon-separated sheets too.
    const semi = parseMemberCsv("Customer ID;Points balance;Referral code\ngid://shopify/Customer/7002;10;abcd2345\n");
    expect(semi.rows[0]).toMatchObject({ shopifyCustomerId: "7002", points: 10, referralCode: "ABCD2345" });
  });

  test("GIVEN rows Kembali cannot use THEN each carries its reason and the value at fault; duplicates point at the first line", () => {
    const csv = parseMemberCsv(
      [
        "Customer ID,Email,Points Balance,Birthday,Referral code",
        "7001,a@example.com,1.200,,",
        "7002,b@example.com,-5,,",
        "abc,c@example.com,5,,",
        ",not-an-email,5,,",
        ",,5,,",
        "7003,d@example.com,5,02/30,",
        "7004,e@example.com,5,,bad-code",
        "7005,f@example.com,5,,",
        "7006,F@EXAMPLE.COM,7,,",
        "7005,g@example.com,9,,",
        "7007,h@example.com,200000000,,",
      ].join("\n"),
    );
    expect(csv.rows.map((r) => [r.line, r.error, r.errorValue])).toEqual([
      [2, "bad_points", "1.200"],
      [3, "bad_points", "-5"],
      [4, "bad_customer_id", "abc"],
      [5, "bad_email", "not-an-email"],
      [6, "no_customer", null],
      [7, "bad_birthday", "02/30"],
      [8, "bad_referral_code", "bad-code"],
      [9, null, null],
      [10, "duplicate", "9"],
      [11, "duplicate", "9"],
      [12, "bad_points", "200000000"],
    ]);
  });

  test("GIVEN a file Kembali cannot read as a whole THEN it says why and reads nothing", () => {
    expect(reason(() => parseMemberCsv(""))).toBe("empty");
    expect(reason(() => parseMemberCsv("\uFEFF\r\n\r\n"))).toBe("empty");
    expect(reason(() => parseMemberCsv("Name,Points\nAyu,5\n"))).toBe("no_identifier_column");
    expect(reason(() => parseMemberCsv("Email,Name\na@example.com,Ayu\n"))).toBe("nothing_to_import");
    expect(reason(() => parseMemberCsv('Email,Points\n"a@example.com,5\n'))).toBe("unreadable");
    expect(reason(() => parseMemberCsv(new Uint8Array(MAX_FILE_BYTES + 1)))).toBe("too_large");
    const rows = (n: number) => "Email,Points\n" + Array.from({ length: n }, (_, i) => `m${i}@example.com,1\n`).join("");
    expect(reason(() => parseMemberCsv(rows(MAX_ROWS)))).toBeNull();
    expect(reason(() => parseMemberCsv(rows(MAX_ROWS + 1)))).toBe("too_many_rows");
  });

  test("birthdays: ISO (with Smile's year 1004), MM/DD and MM/DD/YYYY; impossible dates refused", () => {
    expect(parseBirthday("1004-05-27")).toEqual({ month: 5, day: 27 });
    expect(parseBirthday("12/31/1990")).toEqual({ month: 12, day: 31 });
    expect(parseBirthday("2/29")).toEqual({ month: 2, day: 29 });
    expect(parseBirthday("13/01")).toBeNull();
    expect(parseBirthday("31-12-1990")).toBeNull();
  });
});

describe("member CSV: writing", () => {
  test("text a spreadsheet would run as a formula is escaped; quotes, commas and newlines are quoted; numbers stay numbers", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell("+62 812")).toBe("'+62 812");
    expect(csvCell("-1+1")).toBe("'-1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("Lestari, Ayu")).toBe('"Lestari, Ayu"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(-20)).toBe("-20");
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });
});
