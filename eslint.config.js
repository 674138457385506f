// @ts-check
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const MODULES = readdirSync(`${import.meta.dirname}/src/modules`, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** A module reaches another module only through its service.ts (types included). */
const MODULE_ZONES = MODULES.map((m) => ({
  target: `./src/modules/${m}/**`,
  from: `./src/modules/!(${m})/**`,
  except: ['**/src/modules/*/service.ts'],
  message: 'Another module is used only through its service.ts.',
}));

/** Modules are composed by the app; they do not import it. */
const APP_ZONE = {
  target: './src/modules',
  from: ['./src/server.ts', './src/cli.ts', './src/main.ts'],
  message: 'A module does not import the app that composes it.',
};

// Test code may reach into another module for its fixtures (makeInvoice, team, …) and into the
// composed app (the harness does): a fixture is no part of a module's public surface, and putting
// it into a service.ts to please lint would ship test code in the app. Core's tests are not exempt.
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/test-*.ts', '**/*-test-helpers.ts', '**/test-fixtures.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'var/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Fastify hooks and handlers are async by contract, awaiting or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // Module boundaries (docs: DESIGN.md, "Layout"). Paths are resolved, so `../x/y.ts` and
  // `../../modules/x/y.ts` are judged by the file they reach; `import type` counts too.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/core/**/*.ts', 'src/core/**/*.tsx'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: './src/core',
              from: ['./src/modules', './src/server.ts', './src/cli.ts', './src/main.ts'],
              message: 'core is domain-free: it imports no module, nor the app that composes them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/modules/**/*.ts', 'src/modules/**/*.tsx'],
    ignores: TEST_FILES,
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: [APP_ZONE, ...MODULE_ZONES] }],
    },
  },
  // Files the size of one idea (DESIGN.md, "Style"): every line counts, comments and blanks too.
  // The row types are generated from the migrations, not written.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'scripts/**/*.ts'],
    ignores: ['src/core/db/generated.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['bin/**/*.mjs', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly' } },
  },
);
