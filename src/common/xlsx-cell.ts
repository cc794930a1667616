/** A number cell when the decimal survives a double exactly, text otherwise (never a rounded number). */
export const decimalCell = (decimal: string): number | string =>
  String(Number(decimal)) === decimal ? Number(decimal) : decimal;
