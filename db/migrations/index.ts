import { Foundation1763740800000 } from './1763740800000-Foundation';

/** Every migration, in order. New ones are appended; a landed migration is never edited. */
export const MIGRATIONS = [Foundation1763740800000];
