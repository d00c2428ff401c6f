export * from './role.enum';
