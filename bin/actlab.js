#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('actlab: dist/cli.js is missing. Build first: npm run build');
  process.exit(2);
}
require(cli);
