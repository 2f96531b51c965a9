using System.CommandLine;
using System.Numerics;

namespace RLKit.Cli.Commands;

/// <summary>Range checks on numeric options, reported as parse errors that name the option, its range and the value given.</summary>
internal static class Options
{
    public static void AtLeast<T>(Option<T> option, T min) where T : INumber<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is var value && value < min)
                result.AddError($"{option.Name} must be at least {min} (got {value}).");
        });

    public static void AtLeast<T>(Option<T?> option, T min) where T : struct, INumber<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T?>() is { } value && value < min)
                result.AddError($"{option.Name} must be at least {min} (got {value}).");
        });

    public static void InRange<T>(Option<T?> option, T min, T max) where T : struct, INumber<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T?>() is { } value && (value < min || value > max))
                result.AddError($"{option.Name} must be in [{min}, {max}] (got {value}).");
        });
}
