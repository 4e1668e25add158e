// Design for the yosys benchmark: a small datapath (register file, ALU with
// a barrel shifter and a multiplier, a CRC-32 unit and an 8-tap FIR filter),
// for `synth` to elaborate, optimise and map to gates.
module alu(input [31:0] a, input [31:0] b, input [3:0] op, output reg [31:0] y);
    always @* begin
        case (op)
            4'd0: y = a + b;
            4'd1: y = a - b;
            4'd2: y = a & b;
            4'd3: y = a | b;
            4'd4: y = a ^ b;
            4'd5: y = a << b[4:0];
            4'd6: y = a >> b[4:0];
            4'd7: y = $signed(a) >>> b[4:0];
            4'd8: y = a[15:0] * b[15:0];
            4'd9: y = {31'b0, $signed(a) < $signed(b)};
            4'd10: y = {31'b0, a < b};
            default: y = ~(a & b);
        endcase
    end
endmodule

module crc32(input clk, input [7:0] data, input en, output reg [31:0] crc);
    integer i;
    reg [31:0] c;
    always @(posedge clk) if (en) begin
        c = crc ^ {24'b0, data};
        for (i = 0; i < 8; i = i + 1)
            c = c[0] ? (c >> 1) ^ 32'hEDB88320 : c >> 1;
        crc <= c;
    end
endmodule

module fir(input clk, input signed [15:0] x, output reg signed [35:0] y);
    reg signed [15:0] taps [0:7];
    wire signed [15:0] coef [0:7];
    assign coef[0] = 16'sd3;   assign coef[1] = -16'sd17;
    assign coef[2] = 16'sd91;  assign coef[3] = 16'sd250;
    assign coef[4] = 16'sd250; assign coef[5] = 16'sd91;
    assign coef[6] = -16'sd17; assign coef[7] = 16'sd3;
    integer i;
    reg signed [35:0] acc;
    always @(posedge clk) begin
        for (i = 7; i > 0; i = i - 1) taps[i] <= taps[i - 1];
        taps[0] <= x;
        acc = 0;
        for (i = 0; i < 8; i = i + 1) acc = acc + taps[i] * coef[i];
        y <= acc;
    end
endmodule

module top(input clk, input [31:0] insn, input [31:0] din, output [31:0] dout,
           output [31:0] crc, output signed [35:0] filtered);
    reg [31:0] regs [0:15];
    wire [3:0] rd = insn[11:8], ra = insn[7:4], rb = insn[3:0], op = insn[15:12];
    wire [31:0] y;
    alu u_alu(.a(regs[ra]), .b(insn[16] ? {16'b0, insn[31:17], 1'b0} : regs[rb]), .op(op), .y(y));
    always @(posedge clk) regs[rd] <= insn[17] ? din : y;
    assign dout = regs[insn[31:28]];
    crc32 u_crc(.clk(clk), .data(y[7:0] ^ y[15:8]), .en(insn[18]), .crc(crc));
    fir u_fir(.clk(clk), .x(y[15:0]), .y(filtered));
endmodule
