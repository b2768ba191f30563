import { EngineError } from './engine-error.js';

/** The case file's refusals (案卷): materials and their uploads, supplement requests (一次性告知), electronic licences. */

/** A material (材料) the case does not hold, or one the caller's department does not see (its review does not need it). */
export class MaterialNotFoundError extends EngineError {
  readonly code = 'TB-MATERIAL-404';
  readonly status = 404;
  constructor(readonly caseId: string, readonly materialId: string) {
    super(`Case ${caseId} holds no material ${materialId} visible to you.`);
  }
}

/** An uploaded file that does not exist, was purged (staged over a day), or was uploaded by someone else: only its uploader attaches it. */
export class UploadNotFoundError extends EngineError {
  readonly code = 'TB-UPLOAD-404';
  readonly status = 404;
  constructor(readonly blobId: string) {
    super(`No upload ${blobId} of yours is waiting to be attached.`);
  }
}

/** An uploaded file already attached to a material: a file is submitted once; upload it again for another material. Nothing changed. */
export class UploadAttachedError extends EngineError {
  readonly code = 'TB-UPLOAD-ATTACHED';
  readonly status = 409;
  constructor(readonly blobId: string) {
    super(`Upload ${blobId} is attached to a material already.`);
  }
}

/** An uploaded file over the configured size (`TONGBAN_MATERIAL_MAX_BYTES`). Nothing is kept. */
export class UploadTooLargeError extends EngineError {
  readonly code = 'TB-UPLOAD-TOO-LARGE';
  readonly status = 413;
  constructor(readonly maxBytes: number) {
    super(`A material's file is limited to ${maxBytes} bytes.`);
  }
}

/** An upload refused for what it holds: a type outside the allow-list (judged by its leading bytes), or a file the scanner flags. Nothing is kept. */
export class UploadRefusedError extends EngineError {
  readonly status = 422;
  constructor(
    readonly code: 'TB-UPLOAD-TYPE' | 'TB-UPLOAD-INFECTED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A return to the applicant (补正) without a valid supplement request, or a request on a completion that does not go to
 * the applicant: the request names at least one material, each among the service item's materials, none twice, each with
 * its reason (一次性告知). `path` is the field at fault. Nothing changed.
 */
export class SupplementRequestInvalidError extends EngineError {
  readonly code = 'TB-SUPPLEMENT-REQUEST-INVALID';
  readonly status = 422;
  constructor(
    readonly taskId: string,
    readonly reason: string,
    readonly path: readonly (string | number)[] = ['supplementRequest'],
  ) {
    super(`The completion of task ${taskId} cannot ask for this supplement: ${reason}.`);
  }
}

/**
 * 一次性告知 (行政许可法 art. 32): a later supplement request names a material the first request of the case did not
 * name and the applicant has not changed since — it should have been asked for the first time. Nothing changed.
 */
export class SupplementNotOnceError extends EngineError {
  readonly code = 'TB-SUPPLEMENT-NOT-ONCE';
  readonly status = 409;
  constructor(
    readonly caseId: string,
    /** The materials refused, as the request names them. */
    readonly materials: readonly string[],
  ) {
    super(
      `Case ${caseId} was already asked for a supplement: ${materials.join(', ')} should have been asked for the first time ` +
        '(一次性告知); a later request names only what an earlier one named, or a material the applicant changed since.',
    );
  }
}

/** An electronic licence (电子证照) that does not exist: by number, or none of the type held by the applicant. */
export class LicenceNotFoundError extends EngineError {
  readonly code = 'TB-LICENCE-404';
  readonly status = 404;
  constructor(readonly licence: string) {
    super(`No licence ${licence}.`);
  }
}

/** A revocation (吊销/注销) of a licence revoked already: the first one stands, nothing changed. */
export class LicenceAlreadyRevokedError extends EngineError {
  readonly code = 'TB-LICENCE-REVOKED';
  readonly status = 409;
  constructor(readonly number: string) {
    super(`Licence ${number} is revoked already.`);
  }
}

/**
 * A licence named to stand in for a material (证照复用) that does not verify as valid: expired, revoked, forged (its
 * signature fails against what is stored), unsigned (issued before licences were signed), or another holder's.
 */
export class LicenceNotReusableError extends EngineError {
  readonly code = 'TB-LICENCE-NOT-REUSABLE';
  readonly status = 409;
  constructor(readonly number: string, readonly reason: 'expired' | 'revoked' | 'forged' | 'unsigned' | 'another-holder' | 'another-type') {
    super(`Licence ${number} cannot stand in for the material: ${LICENCE_REFUSALS[reason]}.`);
  }
}

const LICENCE_REFUSALS = {
  expired: 'it has expired',
  revoked: 'it was revoked',
  forged: 'its signature does not verify',
  unsigned: 'it was issued before licences were signed, so nothing vouches for it',
  'another-holder': 'the applicant does not hold it',
  'another-type': 'it is not of the type the material takes',
} as const;

/** A licence named for a material the service item says no licence (or no licence of this type) can replace. */
export class MaterialTakesNoLicenceError extends EngineError {
  readonly code = 'TB-MATERIAL-NO-LICENCE';
  readonly status = 422;
  constructor(readonly material: string, readonly licenceType: string | null) {
    super(
      licenceType === null
        ? `The material ${material} is not one a licence can stand in for under this service item.`
        : `The material ${material} takes a licence of type ${licenceType} only.`,
    );
  }
}
