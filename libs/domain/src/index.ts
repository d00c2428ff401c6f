export * from './role.enum';
export * from './clock';
