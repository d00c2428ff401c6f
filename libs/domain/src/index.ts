export * from './role.enum';
export * from './clock';
export * from './calling-window';
export * from './call-outcome';
