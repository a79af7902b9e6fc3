// Lint rules in the spirit of cdklabs projects: typescript-eslint's recommended
// set, import hygiene, and a consistent style.
import stylistic from '@stylistic/eslint-plugin';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/*.js', '**/*.d.ts', 'node_modules/', 'cdk.out/', 'assets/', 'dist/', 'test/**/cdk.out*/',
    // an interrupted mutation run (npm run mutation) leaves its sandbox behind
    '.stryker-tmp/', 'reports/',
    // the TypeScript app of the language tests resolves the library from its own install
    'test/languages/typescript/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin, '@stylistic': stylistic },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import/no-extraneous-dependencies': ['error', {
        devDependencies: ['test/**', 'example/**', 'bench/**', 'lambda/**'],
        optionalDependencies: false,
        peerDependencies: true,
      }],
      'import/no-unresolved': 'error',
      'import/order': ['warn', { groups: ['builtin', 'external'], alphabetize: { order: 'asc', caseInsensitive: true } }],
      'import/no-duplicates': 'error',
      '@stylistic/indent': ['error', 2],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/max-len': ['error', { code: 160, ignoreComments: true, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
