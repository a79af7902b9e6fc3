/*
 * The texts of the errors the suite injects, which failure reasons must carry.
 */

/** The ErrorType of injected association and validation failures. */
export const INJECTED_ERROR_TYPE = 'InjectedFailure';

/** The injected association failure's text. */
export const associationFailureMessage = (associationId: string) => `association of ${associationId} refused`;

/** The injected validation failure's text. */
export const validationFailureMessage = (packageName: string, content: number) => `${packageName} content ${content} does not validate`;

/** The service's text for a deletion that failed on its side and succeeds when tried again (ErrorType InternalException). */
export const deletionFailureMessage = 'Package deletion failed due to an internal error. Try again.';

/** The reason of the last resource's injected failure. */
export const LATER_FAILURE = 'Injected failure of the last resource of the stack';

/** The service's text when an index uses a package the stack dissociates. */
export const inUseMessage = (packageId: string) => `Package ${packageId} is in use by index products`;
