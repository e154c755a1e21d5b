/// <reference path="../../shared/env.d.ts" />
