/**
 * pagoPA payment identifiers for a creditor body with more than one IUV generation point: aux digit 3,
 * the segregation code pagoPA assigned to Gemello's generation point (issue 10, citizen-case fees).
 *
 *   NAV (notice number, "codice avviso", 18 digits) = 3 <segregation code (2n)> <IUV base (13n)> <check (2n)>
 *   IUV (17 digits)                                  =   <segregation code (2n)> <IUV base (13n)> <check (2n)>
 *   check = (the number "3" + segregation code + IUV base) mod 93, two digits, zero-padded
 *
 * Source: SACI ("Specifiche attuative dei codici identificativi di versamento, riversamento e
 * rendicontazione", docs.pagopa.it/saci, 3.x), "Generazione dell'Identificativo Univoco di Versamento",
 * schemas NAV.3 and IUV.3: "il componente <IUV check digit> si calcola come resto della divisione per 93
 * del numero ottenuto concatenando i componenti <aux digit>, <codice segregazione> e <IUV base>"
 * (pagopa/devportal-docs, docs/Dny2DKfeNer5ENutRdSp/…/generazione-dellidentificativo-univoco-di-versamento.md).
 * pagoPA's own generator computes it the same way (pagopa/pagopa-debt-position, payments/…/iuvgenerator/
 * IuvAlghoritmAuxDigit3.java + IuvAlghoritm.generateCheckDigit: BigDecimal remainder 93, "%02d").
 *
 * The 13-digit base is ours to structure (SACI: "ogni EC è libero di strutturare"): a fixed numeric
 * prefix followed by a sequence number we own (the fee's id), zero-padded — so the same sequence always
 * gives the same IUV and two sequences never share one. Keep one prefix length per segregation code:
 * prefixes of different lengths could meet ("1" + 23… and "12" + 3…).
 */

export const AUX_DIGIT = '3'

const SEGREGATION = /^\d{2}$/
const DIGITS = /^\d*$/

function assertSegregationCode(segregationCode: string): void {
  if (!SEGREGATION.test(segregationCode)) throw new RangeError('IUV: the segregation code is two digits (00–99), as pagoPA assigned it')
}

/** The two check digits of an aux-digit-3 IUV. */
export function iuvCheckDigits(segregationCode: string, base: string): string {
  assertSegregationCode(segregationCode)
  if (!/^\d{13}$/.test(base)) throw new RangeError('IUV: the base is 13 digits')
  return (BigInt(`${AUX_DIGIT}${segregationCode}${base}`) % 93n).toString().padStart(2, '0')
}

/** The 13-digit IUV base: `prefix` (0–6 digits) then `sequence` zero-padded to the remaining digits. */
export function iuvBase(prefix: string, sequence: number | bigint): string {
  if (!DIGITS.test(prefix) || prefix.length > 6) throw new RangeError('IUV: the prefix is 0–6 digits')
  if (typeof sequence === 'number' && !Number.isSafeInteger(sequence)) throw new RangeError('IUV: the sequence is a whole number')
  const n = BigInt(sequence)
  const width = 13 - prefix.length
  if (n < 0n || n >= 10n ** BigInt(width)) throw new RangeError(`IUV: the sequence does not fit in ${width} digits after the prefix`)
  return prefix + n.toString().padStart(width, '0')
}

/** The IUV of a fee: segregation code, base from prefix and sequence, check digits. */
export function feeIuv(o: { segregationCode: string; prefix: string; sequence: number | bigint }): string {
  const base = iuvBase(o.prefix, o.sequence)
  return `${o.segregationCode}${base}${iuvCheckDigits(o.segregationCode, base)}`
}

/** Whether a string is a well-formed aux-digit-3 IUV (17 digits, check digits right). */
export function isValidIuv(iuv: string): boolean {
  return /^\d{17}$/.test(iuv) && iuvCheckDigits(iuv.slice(0, 2), iuv.slice(2, 15)) === iuv.slice(15)
}

/** The notice number (NAV, codice avviso) of an IUV: the aux digit, then the IUV. */
export function navOf(iuv: string): string {
  if (!isValidIuv(iuv)) throw new RangeError('NAV: not an aux-digit-3 IUV (17 digits with their check digits)')
  return `${AUX_DIGIT}${iuv}`
}

/**
 * The IUPD (GPD's id of the debt position, unique per creditor body — the outbox row's idempotency
 * key): the creditor's fiscal code and the IUV, as GPD suggests ("<Organization fiscal code + …>").
 */
export function iupdOf(organizationFiscalCode: string, iuv: string): string {
  if (!/^\d{11}$/.test(organizationFiscalCode)) throw new RangeError('IUPD: the organization fiscal code is 11 digits')
  if (!isValidIuv(iuv)) throw new RangeError('IUPD: not an aux-digit-3 IUV')
  return `${organizationFiscalCode}-${iuv}`
}
