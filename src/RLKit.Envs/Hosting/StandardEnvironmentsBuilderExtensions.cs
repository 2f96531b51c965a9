using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RLKit.Environments;
using RLKit.Envs;

namespace RLKit.Hosting;

/// <summary>Registers RLKit.Envs' environments with <c>AddRLKit</c>.</summary>
public static class StandardEnvironmentsBuilderExtensions
{
    /// <summary>The name of the standard environment group in <see cref="RLKitBuilder.AddEnvironments"/>.</summary>
    public const string GroupName = "standard";

    /// <summary>
    /// Adds every standard environment and task set to the container's <see cref="EnvironmentCatalog"/>, and each
    /// environment as a keyed transient <see cref="IEnvironment"/> under its id, so
    /// <c>GetRequiredKeyedService&lt;IEnvironment&gt;("CartPole-v1")</c> makes a new one (the caller disposes it).
    /// Idempotent.
    /// </summary>
    public static RLKitBuilder AddStandardEnvironments(this RLKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEnvironments(GroupName, StandardEnvironments.RegisterAll);
        // Listing ids needs a catalog; registering factories is cheap (no environment is created).
        foreach (var entry in StandardEnvironments.CreateCatalog().Environments)
            builder.Services.TryAddKeyedTransient<IEnvironment>(entry.Id,
                static (sp, key) => sp.GetRequiredService<EnvironmentCatalog>().Make((string)key!));
        return builder;
    }
}
