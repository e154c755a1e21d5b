// The member CSV import for the Settings route's loader and action only. The CSV parser sets
// up Node Buffers when it loads; imported straight into a route it would land in the browser
// bundle and stop the page from hydrating ("Buffer is not defined"). A .server module never does.
export { confirmMemberImport, latestMemberImport, previewMemberImport } from "./domain/members/member-import";
export { MAX_FILE_BYTES } from "./domain/members/member-csv";
