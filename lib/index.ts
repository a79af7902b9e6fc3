export * from './domain-package-association';
