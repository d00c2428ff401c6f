import { SetMetadata } from '@nestjs/common';

export const ACCEPT_CONTENT_TYPES = 'accept-content-types';

/** Routes take JSON bodies only, unless they say otherwise here (e.g. 'text/csv' for an import). */
export const AcceptContentTypes = (...types: string[]) => SetMetadata(ACCEPT_CONTENT_TYPES, types);
