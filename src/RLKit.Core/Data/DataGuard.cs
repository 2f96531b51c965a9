namespace RLKit.Data;

/// <summary>Argument checks shared by the buffers, throwing messages that name the argument and the expected size.</summary>
internal static class DataGuard
{
    public static void Length<T>(ReadOnlySpan<T> span, int expected, string argumentName, string meaning)
    {
        if (span.Length != expected)
            throw new ArgumentException($"{argumentName} has {span.Length} values; expected {expected} ({meaning}).", argumentName);
    }

    /// <summary>Checks a row-major [rows, columns] span; the message is only formatted on failure, so checks allocate nothing.</summary>
    public static void Length<T>(ReadOnlySpan<T> span, int rows, int columns, string argumentName, string rowsName, string columnsName)
    {
        if (span.Length != rows * columns)
            throw new ArgumentException(
                $"{argumentName} has {span.Length} values; expected {rowsName} × {columnsName} = {rows} × {columns} = {rows * columns}.", argumentName);
    }

    public static void Finite(ReadOnlySpan<float> values, string argumentName)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{argumentName}[{i}] = {values[i]}: values must be finite.", argumentName);
    }

    /// <summary>
    /// Like <see cref="Finite"/> for long spans: one vectorised sum detects NaN or ±∞ (it propagates into the sum); only
    /// then is the span scanned for the offending index. A sum that merely overflows finite values is accepted.
    /// </summary>
    public static void FiniteBulk(ReadOnlySpan<float> values, string argumentName)
    {
        if (!float.IsFinite(TensorPrimitives.Sum(values))) Finite(values, argumentName);
    }

    public static void DiscreteActions(ReadOnlySpan<int> actions, int actionCount, string argumentName)
    {
        for (int i = 0; i < actions.Length; i++)
        {
            int a = actions[i];
            if (a < 0 || (actionCount > 0 && a >= actionCount))
                throw new ArgumentOutOfRangeException(argumentName, a,
                    actionCount > 0
                        ? $"{argumentName}[{i}] = {a} is outside the allowed range [0, {actionCount})."
                        : $"{argumentName}[{i}] = {a} is negative; discrete actions must be ≥ 0.");
        }
    }

    public static void Discount(float gamma, string argumentName)
    {
        if (!(gamma >= 0f && gamma <= 1f))
            throw new ArgumentOutOfRangeException(argumentName, gamma, $"{argumentName} must lie in [0, 1].");
    }
}
