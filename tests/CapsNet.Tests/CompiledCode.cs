using System.Reflection;
using System.Reflection.Emit;

namespace CapsNet.Tests;

/// <summary>The methods of an assembly and the instructions of their bodies, read by reflection.</summary>
internal static class CompiledCode
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!).ToDictionary(code => code.Value);

    /// <summary>
    /// An instruction at its offset: the method it calls (or whose address it takes), the local (an int) or field
    /// it stores to or loads from.
    /// </summary>
    public sealed record Instruction(int Offset, OpCode Code, MethodBase? Callee, object? Stored, object? Loaded);

    /// <summary>Every method and constructor, those the compiler made for lambdas, iterators and closures included.</summary>
    public static IEnumerable<MethodBase> Methods(Assembly assembly) => assembly.GetTypes()
        .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)));

    /// <summary>The method as declared: a generic method or a method of a generic type without its type arguments.</summary>
    public static MethodBase Definition(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethod: true, IsGenericMethodDefinition: false } generic)
            method = generic.GetGenericMethodDefinition();
        return method.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } type
            ? MethodBase.GetMethodFromHandle(method.MethodHandle, type.GetGenericTypeDefinition().TypeHandle)!
            : method;
    }

    public static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.FullName}::{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    public static List<Instruction> Instructions(MethodBase method)
    {
        var instructions = new List<Instruction>();
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            return instructions;
        Type[] typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : [];
        Type[] methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : [];
        for (int at = 0; at < il.Length;)
        {
            int offset = at;
            OpCode code = OpCodesByValue[il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at]];
            at += code.Size;
            int operand = code.OperandType switch
            {
                OperandType.InlineNone or OperandType.InlineI8 or OperandType.InlineR => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => il[at],
                OperandType.InlineVar => BitConverter.ToUInt16(il, at),
                _ => BitConverter.ToInt32(il, at),
            };
            bool calls = code == OpCodes.Call || code == OpCodes.Callvirt || code == OpCodes.Newobj
                || code == OpCodes.Ldftn || code == OpCodes.Ldvirtftn;
            MethodBase? callee = calls ? method.Module.ResolveMethod(operand, typeArguments, methodArguments) : null;
            FieldInfo? field = code == OpCodes.Stfld || code == OpCodes.Ldfld
                ? method.Module.ResolveField(operand, typeArguments, methodArguments)
                : null;
            instructions.Add(new Instruction(offset, code, callee, code == OpCodes.Stfld ? field : Local(code, operand, store: true),
                code == OpCodes.Ldfld ? field : Local(code, operand, store: false)));
            at += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * operand,
                _ => 4,
            };
        }
        return instructions;
    }

    private static int? Local(OpCode code, int operand, bool store) => store
        ? code == OpCodes.Stloc_0 ? 0 : code == OpCodes.Stloc_1 ? 1 : code == OpCodes.Stloc_2 ? 2 : code == OpCodes.Stloc_3 ? 3
            : code == OpCodes.Stloc_S || code == OpCodes.Stloc ? operand : null
        : code == OpCodes.Ldloc_0 ? 0 : code == OpCodes.Ldloc_1 ? 1 : code == OpCodes.Ldloc_2 ? 2 : code == OpCodes.Ldloc_3 ? 3
            : code == OpCodes.Ldloc_S || code == OpCodes.Ldloc ? operand : null;
}
