/** Reads the model editor's form into the models service's input; the service validates the values. */
import { formBoolean, formInteger, formOptional, formString, formStrings } from './admin.server';

export function modelFields(form: FormData) {
  return {
    displayName: formString(form, 'displayName'),
    description: formString(form, 'description'),
    capabilities: formStrings(form, 'capabilities') as never[],
    surfaces: formStrings(form, 'surfaces') as never[],
    contextWindow: formInteger(form, 'contextWindow'),
    maxOutputTokens: formInteger(form, 'maxOutputTokens'),
    inputPricePerMillion: formOptional(form, 'inputPricePerMillion'),
    outputPricePerMillion: formOptional(form, 'outputPricePerMillion'),
    cachedInputPricePerMillion: formOptional(form, 'cachedInputPricePerMillion'),
    active: formBoolean(form, 'active'),
    ...(form.has('baseUrl') ? { baseUrl: formOptional(form, 'baseUrl') } : {}),
  };
}

/** E-mail addresses, one per line or comma-separated. */
export function emailList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}
