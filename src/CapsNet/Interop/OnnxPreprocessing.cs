using CapsNet.Imaging;
using static CapsNet.Interop.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CapsNet.Interop;

/// <summary>
/// <see cref="DigitPreprocessing.Prepare"/> as ONNX nodes, step for step, so that the exported model takes a picture as
/// it is: <c>picture</c> [H,W] (its BT.709 grey, 0 black to 1 white, any size) becomes <c>prepared</c> [1,1,S,S].
/// Every step but one gives Prepare's values to the bit; the bicubic resize, ImageSharp's in Prepare and ONNX's
/// Resize with the same kernel here, agrees to one 16-bit level.
/// </summary>
internal static class OnnxPreprocessing
{
    public const string Picture = "picture";
    public const string Prepared = "prepared";

    /// <summary>Adds the nodes from <see cref="Picture"/> to <see cref="Prepared"/> for a model of side <paramref name="side"/>.</summary>
    public static void Add(OnnxGraphBuilder g, int side)
    {
        g.Floats("unit", [1f]);
        g.Floats("no_ink", [0f]);
        g.Floats("full_scale", [ushort.MaxValue]);  // the levels of the 16-bit (L16) images Prepare resizes
        g.Int64s("one_pixel", 1);

        string ink = InkOnDark(g);  // [H,W]
        string strongest = g.Node("ReduceMax", [ink], attributes: Int("keepdims", 0));
        string crop = CropToInk(g, ink, strongest);  // [h,w]
        // At full strength in 16 bits, as Prepare writes the crop into an L16 image; a blank page is divided by one.
        string strength = g.Node("Where", [g.Node("Greater", [strongest, "no_ink"]), strongest, "unit"]);
        string levels = g.Node("Round", [g.Node("Mul", [g.Node("Div", [crop, strength]), "full_scale"])]);
        string fitted = Fit(g, g.Node("Div", [levels, "full_scale"]), DigitPreprocessing.Box(side));  // [1,1,fh,fw]
        Place(g, fitted, side);
    }

    /// <summary>
    /// Prepare's InkOnDark after the grey: the page is the upper median of the border pixels (top and bottom rows,
    /// the left and right columns between them), the picture is inverted when the page is the lighter, and the page's
    /// level is taken off. ONNX 18 has no median: TopK takes the n/2 + 1 smallest, and the median is their largest.
    /// </summary>
    private static string InkOnDark(OnnxGraphBuilder g)
    {
        string Cut(long[] starts, long[] ends, long[] axes) =>
            g.Node("Reshape", [g.Node("Slice", [Picture, g.Int64s(starts), g.Int64s(ends), g.Int64s(axes)]), g.Int64s([-1])]);
        string border = g.Node("Concat", [Cut([0], [1], [0]), Cut([-1], [long.MaxValue], [0]),
            Cut([1, 0], [-1, 1], [0, 1]), Cut([1, -1], [-1, long.MaxValue], [0, 1])], attributes: Int("axis", 0));
        string half = g.Node("Div", [g.Node("Size", [border]), g.Int64("two", 2)]);  // integer division
        string smallest = g.Node("TopK", [border, g.Node("Add", [half, "one_pixel"])], 2, Int("largest", 0))[0];
        string page = g.Node("ReduceMax", [smallest], attributes: Int("keepdims", 0));

        string invert = g.Node("Greater", [page, g.Floats("lighter_page", [0.5f])]);
        string turned = g.Node("Where", [invert, g.Node("Sub", ["unit", Picture]), Picture]);
        string level = g.Node("Where", [invert, g.Node("Sub", ["unit", page]), page]);
        return g.Node("Relu", [g.Node("Sub", [turned, level])]);
    }

    /// <summary>
    /// Cropped to the bounding box of the pixels above InkThreshold x the strongest: the first and last rows and
    /// columns holding any, by ArgMax. On a blank page none does, and the first and last of rows all alike are the
    /// page's own: it keeps all of itself, all zero, and stays blank as in Prepare.
    /// </summary>
    private static string CropToInk(OnnxGraphBuilder g, string ink, string strongest)
    {
        string faint = g.Node("Mul", [g.Floats("ink_threshold", [DigitPreprocessing.InkThreshold]), strongest]);
        string mask = Cast(g, g.Node("Greater", [ink, faint]), DataType.Float);  // [H,W]
        string rows = g.Node("ReduceMax", [mask, g.Int64s("columns_axis", 1)], attributes: Int("keepdims", 0));  // [H]
        string columns = g.Node("ReduceMax", [mask, g.Int64s("rows_axis", 0)], attributes: Int("keepdims", 0));  // [W]
        string First(string any) => g.Node("ArgMax", [any], attributes: Int("keepdims", 1));  // [1]
        string Last(string any) => g.Node("ArgMax", [any], attributes: [Int("keepdims", 1), Int("select_last_index", 1)]);
        string starts = g.Node("Concat", [First(rows), First(columns)], attributes: Int("axis", 0));
        string ends = g.Node("Add", [g.Node("Concat", [Last(rows), Last(columns)], attributes: Int("axis", 0)), "one_pixel"]);
        return g.Node("Slice", [ink, starts, ends, g.Int64s("picture_axes", 0, 1)]);
    }

    /// <summary>
    /// The crop [h,w] fitted into box x box keeping its aspect, the sizes rounded as Prepare rounds them (in double,
    /// half to even, at least 1). The resampler is ImageSharp's default, Keys' bicubic with a = -0.5, which ImageSharp
    /// widens by the reduction when it reduces (ONNX's antialias), centres on half pixels and renormalises over the
    /// pixels inside the image (exclude_outside). Then clamped to [0,1] and rounded to 16 bits, as an L16 image holds it.
    /// </summary>
    private static string Fit(OnnxGraphBuilder g, string crop, int box)
    {
        string dims = Cast(g, g.Node("Shape", [crop]), DataType.Double);  // [h,w]
        string scale = g.Node("Div", [g.Double("box", box), g.Node("ReduceMax", [dims], attributes: Int("keepdims", 0))]);
        string fit = g.Node("Max", [g.Node("Round", [g.Node("Mul", [dims, scale])]), g.Double("smallest_side", 1)]);
        string sizes = g.Node("Concat", [g.Int64s("one_image", 1, 1), Cast(g, fit, DataType.Int64)], attributes: Int("axis", 0));
        string image = g.Node("Unsqueeze", [crop, g.Int64s("image_axes", 0, 1)]);  // [1,1,h,w]
        string resized = g.Node("Resize", [image, "", "", sizes], attributes:
        [
            Text("mode", "cubic"), Float("cubic_coeff_a", -0.5f), Int("antialias", 1), Int("exclude_outside", 1),
            Text("coordinate_transformation_mode", "half_pixel"),
        ]);
        string levels = g.Node("Round", [g.Node("Mul", [g.Node("Clip", [resized, "no_ink", "unit"]), "full_scale"])]);
        return g.Node("Div", [levels, "full_scale"]);
    }

    /// <summary>
    /// The fitted digit [1,1,fh,fw] placed with its centre of mass at (side/2, side/2), offsets rounded half to even as
    /// Prepare rounds them; the moments v*x in float and their sums in double, as Prepare adds them (exact sums at
    /// side 28, so the order of addition does not matter). The digit is padded by a whole field on every side and the
    /// field cut out at the offset, so that what falls outside is dropped.
    /// </summary>
    private static void Place(OnnxGraphBuilder g, string fitted, int side)
    {
        string extent = g.Node("Shape", [fitted], attributes: Int("start", 2));  // [fh,fw]
        g.Int64("origin", 0);
        g.Int64("step", 1);
        string Positions(long axis) => Cast(g, g.Node("Range", ["origin", g.Node("Gather", [extent, g.Int64($"axis_{axis}", axis)]),
            "step"]),
            DataType.Float);
        string ys = g.Node("Unsqueeze", [Positions(0), g.Int64s("column_axis", 1)]);  // [fh,1]
        string xs = Positions(1);  // [fw]
        g.Int64s("sum_axis", 0);
        string Sum(string v) =>
            g.Node("Unsqueeze", [g.Node("ReduceSum", [Cast(g, v, DataType.Double)], attributes: Int("keepdims", 0)), "sum_axis"]);  // [1]
        string mass = Sum(fitted);
        string moments = g.Node("Concat", [Sum(g.Node("Mul", [fitted, ys])), Sum(g.Node("Mul", [fitted, xs]))], attributes: Int("axis", 0));
        string divisor = g.Node("Where", [g.Node("Greater", [mass, g.Double("no_mass", 0)]), mass, g.Double("unit_mass", 1)]);
        string centreOfMass = g.Node("Div", [moments, divisor]);  // [2]: y, x
        string offsets = Cast(g, g.Node("Round", [g.Node("Sub", [g.Double("centre", side / 2.0), centreOfMass])]), DataType.Int64);

        string padded = g.Node("Pad", [fitted, g.Int64s("margins", 0, 0, side, side, 0, 0, side, side)]);  // [1,1,fh+2S,fw+2S]
        string starts = g.Node("Sub", [g.Int64("field", side), offsets]);
        string ends = g.Node("Add", [starts, "field"]);
        g.Node("Slice", [padded, starts, ends, g.Int64s("field_axes", 2, 3)], Prepared);
    }

    private static string Cast(OnnxGraphBuilder g, string x, DataType to) => g.Node("Cast", [x], attributes: Int("to", (long)to));
}
