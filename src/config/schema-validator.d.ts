/** The configuration schema compiled by ajv (dist/src/config/schema-validator.js, written by `npm run build`). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export declare const validate: ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
