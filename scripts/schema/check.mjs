// Compiles docs/airlock.schema.json with Ajv in strict mode (the draft it declares, formats checked) and validates
// every shipped configuration against it; a configuration with a misspelt option must be refused, so a schema that
// accepts anything cannot pass.
//   (cd scripts/schema && npm ci) && node scripts/schema/check.mjs [config.yaml ...]
// With no arguments it checks examples/*/airlock.yaml. Exits non-zero naming the file, the place and the rule broken.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemaFile = path.join(root, 'docs/airlock.schema.json');
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
if (schema.$schema !== 'https://json-schema.org/draft/2020-12/schema') {
  fail(`${schemaFile}: declares ${schema.$schema}; this check compiles draft 2020-12`);
}

// strict: true refuses unknown keywords, ignored keywords, keywords applied to the wrong type and regexes that are
// not valid in unicode mode (the mode Ajv compiles "pattern" with); a warning is an error here.
const ajv = new Ajv2020({
  strict: true,
  allErrors: true,
  logger: { log() {}, warn: (m) => fail(`${schemaFile}: ${m}`), error: (m) => fail(`${schemaFile}: ${m}`) },
});
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(schema);
} catch (e) {
  fail(`${schemaFile}: does not compile in strict mode: ${e.message}`);
}

const configs = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : shippedConfigs();
if (configs.length === 0) fail('no configuration to check');
for (const file of configs) {
  const config = parse(fs.readFileSync(file, 'utf8'));
  if (!validate(config)) {
    fail(validate.errors.map((e) => `${path.relative(root, file)}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n'));
  }
  console.log(`${path.relative(root, file)}: valid`);
}

const typo = parse('models:\n  support: {kind: chat, provder: up}\nserver:\n  port: ${PORT:-8080}\n');
if (validate(typo) || !validate.errors.some((e) => e.params?.additionalProperty === 'provder')) {
  fail(`${schemaFile}: accepted a model with the misspelt option 'provder'`);
}
console.log(`${path.relative(root, schemaFile)}: compiles in Ajv strict mode; refuses a misspelt option`);

function shippedConfigs() {
  const examples = path.join(root, 'examples');
  return fs
    .readdirSync(examples)
    .map((name) => path.join(examples, name, 'airlock.yaml'))
    .filter((file) => fs.existsSync(file));
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
