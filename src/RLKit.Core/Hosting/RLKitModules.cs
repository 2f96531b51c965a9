using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using RLKit.Environments;

namespace RLKit.Hosting;

/// <summary>
/// The <see cref="IRLKitModule"/>s of the application, found once per process (thread-safe) from the
/// <see cref="RLKitModuleAttribute"/>s of its assemblies: those already loaded, and those it deploys (the
/// <c>TRUSTED_PLATFORM_ASSEMBLIES</c> outside the framework directory), whose metadata is read first so that only
/// assemblies carrying the attribute are loaded. An unreadable file is skipped; nothing here throws while searching.
/// </summary>
internal static class RLKitModules
{
    private static readonly string CoreAssembly = typeof(RLKitModuleAttribute).Assembly.GetName().Name!;
    private static readonly string AttributeNamespace = typeof(RLKitModuleAttribute<>).Namespace!;
    private static readonly string AttributeName = typeof(RLKitModuleAttribute<>).Name;

    private static readonly Lazy<Discovery> Found = new(Discover, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<AlgorithmRegistry> SharedAlgorithms = new(() =>
    {
        var registry = new AlgorithmRegistry();
        ForEachModule("algorithms", module => module.AddAlgorithms(registry));
        return registry;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A module and the assembly that declared it.</summary>
    internal sealed record Module(string Assembly, Type Type, IRLKitModule Instance)
    {
        public override string ToString() => $"{Assembly} ({Type.Name})";
    }

    private sealed record Discovery(IReadOnlyList<Module> Modules, IReadOnlyList<string> Skipped);

    /// <summary>The modules, ordered by assembly and type name.</summary>
    public static IReadOnlyList<Module> Modules => Found.Value.Modules;

    /// <summary>The algorithms every module adds, built once; only <c>Checkpoint.LoadAgent(path)</c> reads it and nothing changes it.</summary>
    public static AlgorithmRegistry Algorithms => SharedAlgorithms.Value;

    /// <summary>A new catalog holding the environments every module adds.</summary>
    public static EnvironmentCatalog CreateEnvironmentCatalog()
    {
        var catalog = new EnvironmentCatalog();
        ForEachModule("environments", module => module.AddEnvironments(catalog));
        return catalog;
    }

    /// <summary>One sentence for error messages: which modules were found (and which were skipped, and why).</summary>
    public static string Describe()
    {
        var found = Found.Value;
        string modules = found.Modules.Count == 0 ? "none" : string.Join(", ", found.Modules);
        string skipped = found.Skipped.Count == 0 ? "" : $"; skipped: {string.Join("; ", found.Skipped)}";
        return $"RLKit modules found in this application: {modules}{skipped}.";
    }

    private static void ForEachModule(string what, Action<IRLKitModule> add)
    {
        foreach (var module in Modules)
        {
            try
            {
                add(module.Instance);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"The RLKit module {module} failed to add its {what}: {e.Message}", e);
            }
        }
    }

    private static Discovery Discover()
    {
        var skipped = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var candidates = new List<Assembly>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.GetName().Name is { } name && names.Add(name) && ReferencesCore(assembly))
                candidates.Add(assembly);
        }
        foreach (var path in DeployedAssemblies())
        {
            if (names.Contains(Path.GetFileNameWithoutExtension(path)) || ReadModuleAssemblyName(path) is not { } assemblyName) continue;
            try
            {
                var assembly = Assembly.Load(assemblyName);
                if (names.Add(assembly.GetName().Name!)) candidates.Add(assembly);
            }
            catch (Exception e)
            {
                skipped.Add($"{path} ({e.GetType().Name}: {e.Message})");
            }
        }

        var modules = new List<Module>();
        foreach (var assembly in candidates.OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
        {
            string name = assembly.GetName().Name!;
            try
            {
                foreach (var attribute in assembly.GetCustomAttributes<RLKitModuleAttribute>().OrderBy(a => a.ModuleType.FullName, StringComparer.Ordinal))
                    modules.Add(new Module(name, attribute.ModuleType, attribute.CreateModule()));
            }
            catch (Exception e)
            {
                skipped.Add($"{name} ({e.GetType().Name}: {e.Message})");
            }
        }
        return new Discovery(modules, skipped);
    }

    // Only an assembly that references RLKit.Core can carry the attribute; asking the others for it would be wasted work.
    private static bool ReferencesCore(Assembly assembly)
    {
        try
        {
            return assembly.GetReferencedAssemblies().Any(r => r.Name == CoreAssembly);
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The application's own assemblies: the trusted platform assemblies outside the framework directory.</summary>
    private static IEnumerable<string> DeployedAssemblies()
    {
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string list) yield break;
        string framework = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        // A self-contained application deploys the framework beside its own assemblies, so there the directory tells nothing.
        bool selfContained = string.Equals(framework, Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), StringComparison.OrdinalIgnoreCase);
        foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (selfContained || !string.Equals(Path.GetDirectoryName(path), framework, StringComparison.OrdinalIgnoreCase))
                yield return path;
        }
    }

    /// <summary>The name of the assembly at <paramref name="path"/> when its metadata carries an <see cref="RLKitModuleAttribute{TModule}"/>; otherwise null.</summary>
    internal static AssemblyName? ReadModuleAssemblyName(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return null;
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) return null;
            var assembly = reader.GetAssemblyDefinition();
            foreach (var handle in assembly.GetCustomAttributes())
            {
                if (IsModuleAttribute(reader, reader.GetCustomAttribute(handle).Constructor))
                    return assembly.GetAssemblyName();
            }
            return null;
        }
        catch (Exception)
        {
            // Whatever makes a file unreadable as an assembly (missing, locked, not a PE file, bad metadata) also makes
            // it no module's: skip it.
            return null;
        }
    }

    // RLKitModuleAttribute<TModule> is generic, so the attribute's constructor is a member of a generic instance
    // (a TypeSpec) whose definition is a TypeRef into RLKit.Core.
    private static bool IsModuleAttribute(MetadataReader reader, EntityHandle constructor)
    {
        if (constructor.Kind != HandleKind.MemberReference) return false;
        var parent = reader.GetMemberReference((MemberReferenceHandle)constructor).Parent;
        if (parent.Kind != HandleKind.TypeSpecification) return false;
        var signature = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (signature.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance
            || signature.ReadSignatureTypeCode() != SignatureTypeCode.TypeHandle) return false;
        var generic = signature.ReadTypeHandle();
        if (generic.Kind != HandleKind.TypeReference) return false;
        var type = reader.GetTypeReference((TypeReferenceHandle)generic);
        return reader.StringComparer.Equals(type.Name, AttributeName)
            && reader.StringComparer.Equals(type.Namespace, AttributeNamespace)
            && type.ResolutionScope.Kind == HandleKind.AssemblyReference
            && reader.StringComparer.Equals(reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name, CoreAssembly);
    }
}
