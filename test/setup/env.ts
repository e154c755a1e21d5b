// Runs in every test worker before the test file's imports.
import { testDatabaseUrl } from "./global";

process.env.DATABASE_URL = testDatabaseUrl();
