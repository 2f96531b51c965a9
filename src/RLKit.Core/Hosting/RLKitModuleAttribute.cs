namespace RLKit.Hosting;

/// <summary>
/// Declares an assembly's <see cref="IRLKitModule"/>, so that RLKit finds it without naming the assembly:
/// <c>[assembly: RLKitModule&lt;MyModule&gt;]</c>. Apply <see cref="RLKitModuleAttribute{TModule}"/>; this
/// base lets RLKit read every module attribute alike.
/// </summary>
/// <remarks>
/// RLKit looks for the attribute on the assemblies already loaded and on the application's own deployed assemblies
/// (those of <c>TRUSTED_PLATFORM_ASSEMBLIES</c> outside the framework directory). It reads a deployed assembly's
/// metadata first and loads only the assemblies that carry the attribute.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public abstract class RLKitModuleAttribute : Attribute
{
    private protected RLKitModuleAttribute() { }

    /// <summary>The module type.</summary>
    public abstract Type ModuleType { get; }

    internal abstract IRLKitModule CreateModule();
}

/// <summary>Declares <typeparamref name="TModule"/> as one of the assembly's <see cref="IRLKitModule"/>s.</summary>
/// <typeparam name="TModule">The module: it implements <see cref="IRLKitModule"/> and has a public parameterless constructor (it may be internal).</typeparam>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RLKitModuleAttribute<TModule> : RLKitModuleAttribute where TModule : IRLKitModule, new()
{
    /// <inheritdoc/>
    public override Type ModuleType => typeof(TModule);

    internal override IRLKitModule CreateModule() => new TModule();
}
