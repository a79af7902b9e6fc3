export * from './custom-package';
export * from './domain-package-association';
export * from './package-source';
export * from './package-type';
export * from './plugin-configuration';
export * from './provider-logs';
