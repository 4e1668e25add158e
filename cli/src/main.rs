//! `wasi-aot`: compile WebAssembly (WASI preview 1) modules into static
//! native Linux executables, or compile-and-run them.
//!
//! Every user-facing failure is one line on stderr, `error: FILE: message`,
//! and exit status 1; the output file is written atomically (temporary file
//! + rename), so a failed build never leaves a partial executable behind.
#![forbid(unsafe_code)]

mod archive;
mod cache;
mod embed;
mod link;
mod progress;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use link::HOST_ARCH;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use wasi_aot_compiler::error::printable;
use wasi_aot_compiler::{Arch, Embed, Grants, Options, TargetCpu};

#[derive(Parser)]
#[command(name = "wasi-aot", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a module into a static executable (or an object file).
    Build(BuildArgs),
    /// Compile a module (cached) and run it with the given arguments.
    Run(RunArgs),
    /// Write the runtime library that an object built with `--emit obj`
    /// links with (the one this tool embeds and links executables with).
    Runtime(RuntimeArgs),
    /// Show or clear the compile cache of `run`.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
}

#[derive(Subcommand)]
enum CacheAction {
    /// List the cached executables, least recently used first, with their
    /// sizes and the total.
    List,
    /// Remove every cached executable.
    Clear,
}

#[derive(Args)]
struct BuildArgs {
    /// The module: a `.wasm` binary or a `.wat` text file.
    input: PathBuf,
    /// Where to write the executable (or object, with `--emit obj`).
    #[arg(short, long)]
    output: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Emit::Exe)]
    emit: Emit,
    /// With `--emit staticlib`: the prefix of the library's C API (default:
    /// the input file's stem made a C identifier).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// With `--emit staticlib`: where to write the library's C header.
    #[arg(long, value_name = "FILE")]
    header: Option<PathBuf>,
    /// The machine the executable is for (default: the one running this
    /// command).
    #[arg(long, value_enum)]
    target: Option<Target>,
    #[command(flatten)]
    codegen: CodegenArgs,
    #[command(flatten)]
    caps: CapabilityArgs,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    link: LinkArgs,
    /// Report on stderr what was built: target, CPU level, grants, embedded
    /// trees, the output's size and the time of each phase.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Args)]
struct RuntimeArgs {
    /// Where to write the library (e.g. `libwasi_aot_runtime.a`).
    #[arg(short, long)]
    output: PathBuf,
    /// The machine the objects it links with are for (default: the one
    /// running this command).
    #[arg(long, value_enum)]
    target: Option<Target>,
}

#[derive(Args)]
struct RunArgs {
    /// The module: a `.wasm` binary or a `.wat` text file.
    input: PathBuf,
    #[command(flatten)]
    codegen: CodegenArgs,
    #[command(flatten)]
    caps: CapabilityArgs,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    link: LinkArgs,
    /// Arguments for the module (after `--` when they start with `-`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Emit {
    /// A static executable.
    Exe,
    /// The relocatable object, to be linked with the runtime library.
    Obj,
    /// A static library (`libNAME.a`): the module as sandboxed instances
    /// behind a C API (see `--name`, `--header`).
    Staticlib,
}

#[derive(Clone, Copy, ValueEnum)]
enum Target {
    #[value(name = "x86_64-linux")]
    X86_64Linux,
    #[value(name = "aarch64-linux")]
    Aarch64Linux,
}

impl Target {
    fn arch(self) -> Arch {
        match self {
            Target::X86_64Linux => Arch::X86_64,
            Target::Aarch64Linux => Arch::Aarch64,
        }
    }
}

#[derive(Args)]
struct CodegenArgs {
    /// The CPU level the generated code may assume (default: the target's
    /// baseline, x86-64-v2 or armv8.0-a; `native`: the machine running
    /// this command).
    #[arg(long, value_enum)]
    target_cpu: Option<Cpu>,
    /// Inline and fold nothing: every function keeps its own frame and
    /// code, so a trap's backtrace names each one (by default small leaf
    /// functions are inlined into their callers, and a function identical
    /// to an earlier one is compiled as a jump to it).
    #[arg(long)]
    no_inline: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Cpu {
    #[value(name = "x86-64-v2")]
    X86_64V2,
    #[value(name = "x86-64-v3")]
    X86_64V3,
    /// The aarch64 baseline.
    #[value(name = "armv8.0-a")]
    Armv8,
    /// The CPU this command runs on: on x86-64, x86-64-v3 where it has
    /// every feature of that level, else x86-64-v2; on aarch64, armv8.0-a.
    #[value(name = "native")]
    Native,
}

#[derive(Args)]
struct LinkArgs {
    /// What links the executable: `builtin` (the linker inside wasi-aot,
    /// needing no C toolchain), `system` (the C compiler driver `$CC`, else
    /// `cc`), or the name or path of a C compiler driver to use.
    #[arg(long, value_name = "LINKER", default_value = "builtin", value_parser = link::Linker::parse)]
    linker: link::Linker,
}

/// Limits and start-up settings (named like wasmtime's).
#[derive(Args)]
struct LimitArgs {
    /// The largest size each linear memory may reach, in bytes or with a
    /// binary unit (`64M`, `1G`): `memory.grow` past it returns -1, and a
    /// module whose memory starts larger does not start. Default: what
    /// the memory's type allows (4 GiB for a 32-bit memory).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// The stack wasm code runs on, in bytes or with a binary unit
    /// (`512K`, `8M`); deeper recursion traps with "call stack exhausted".
    /// Default: 8M.
    #[arg(long, value_name = "SIZE", value_parser = parse_stack_size)]
    max_wasm_stack: Option<u64>,
    /// The `argv[0]` the module sees. Default: the executable's own (under
    /// `run`, the module's path as given).
    #[arg(long, value_name = "NAME")]
    argv0: Option<String>,
}

/// Parses a size: a number of bytes, or a number with a binary unit `K`,
/// `M`, `G` or `T` (optionally followed by `iB` or `B`, any case).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| "expected a size such as 65536, 512K, 64M or 1G".to_string())?;
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("unknown unit `{unit}`: expected K, M, G or T")),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| "the size is too large".to_string())
}

/// Parses a stack size: a [`parse_size`] of at least one byte.
fn parse_stack_size(text: &str) -> Result<u64, String> {
    match parse_size(text)? {
        0 => Err("the stack size must be more than 0".into()),
        n => Ok(n),
    }
}

/// Capabilities granted to the module (named like wasmtime's flags).
#[derive(Args)]
struct CapabilityArgs {
    /// Grant a host directory, visible to the module as GUEST (default: HOST).
    /// HOST is resolved when the program starts, relative to its working
    /// directory.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Grant an environment variable: NAME=VAL, or NAME to pass the host's
    /// value through at start-up.
    #[arg(long = "env", value_name = "NAME[=VAL]")]
    env: Vec<String>,
    /// Pass the whole host environment through.
    #[arg(long)]
    inherit_env: bool,
    /// Grant a listening TCP socket bound to ADDR (IPV4:PORT or [IPV6]:PORT,
    /// e.g. 127.0.0.1:8080), bound when the program starts.
    #[arg(long = "tcplisten", value_name = "ADDR")]
    tcp_listen: Vec<String>,
    /// Bake the host directory tree HOST into the executable, visible to
    /// the module as the read-only directory GUEST (default: HOST). HOST is
    /// read when building.
    #[arg(long = "embed-dir", value_name = "HOST[::GUEST]")]
    embed_dirs: Vec<String>,
}

/// What `--verbose` reports about one embedded tree.
struct EmbedReport {
    host: PathBuf,
    guest: String,
    files: u64,
    dirs: u64,
    symlinks: u64,
    content: u64,
    image: u64,
}

impl CapabilityArgs {
    /// The grants, with every `--embed-dir` tree read into its image.
    fn grants(&self) -> Result<(Grants, Vec<EmbedReport>)> {
        let mut grants = Grants {
            inherit_env: self.inherit_env,
            ..Grants::default()
        };
        for dir in &self.dirs {
            let (host, guest) = match dir.split_once("::") {
                Some((host, guest)) => (host, guest),
                None => (dir.as_str(), dir.as_str()),
            };
            if host.is_empty() || guest.is_empty() || dir.contains('\0') {
                bail!("invalid --dir `{dir}`: expected HOST[::GUEST]");
            }
            grants.dirs.push((host.to_string(), guest.to_string()));
        }
        for env in &self.env {
            let (name, value) = match env.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (env.as_str(), None),
            };
            if name.is_empty() || env.contains('\0') {
                bail!("invalid --env `{env}`: expected NAME[=VAL]");
            }
            grants.env.push((name.to_string(), value));
        }
        for addr in &self.tcp_listen {
            if addr.parse::<std::net::SocketAddr>().is_err() {
                bail!("invalid --tcplisten `{addr}`: expected IPV4:PORT or [IPV6]:PORT");
            }
        }
        grants.tcp_listen = self.tcp_listen.clone();
        let mut reports = Vec::new();
        for spec in &self.embed_dirs {
            let (guest, host, image) = embed::grant(spec)?;
            reports.push(EmbedReport {
                host,
                guest: guest.clone(),
                files: image.files,
                dirs: image.dirs,
                symlinks: image.symlinks,
                content: image.content,
                image: image.bytes.len() as u64,
            });
            grants.embeds.push(Embed {
                guest,
                image: image.bytes,
            });
        }
        Ok((grants, reports))
    }
}

impl CodegenArgs {
    /// The CPU level for code that runs on `arch`.
    fn cpu(&self, arch: Arch) -> anyhow::Result<TargetCpu> {
        let cpu = match self.target_cpu {
            None => TargetCpu::baseline(arch),
            Some(Cpu::X86_64V2) => TargetCpu::X86_64V2,
            Some(Cpu::X86_64V3) => TargetCpu::X86_64V3,
            Some(Cpu::Armv8) => TargetCpu::Armv8,
            Some(Cpu::Native) if arch != HOST_ARCH => anyhow::bail!(
                "--target-cpu native is the CPU of this {} machine, not one of {}; \
                 name a level instead",
                HOST_ARCH.name(),
                arch.name()
            ),
            Some(Cpu::Native) if arch == Arch::X86_64 && host_is_x86_64_v3() => TargetCpu::X86_64V3,
            Some(Cpu::Native) => TargetCpu::baseline(arch),
        };
        if cpu.arch() != arch {
            anyhow::bail!(
                "--target-cpu {} is not a level of {} (its levels: {})",
                cpu.name(),
                arch.name(),
                match arch {
                    Arch::X86_64 => "x86-64-v2, x86-64-v3, native",
                    Arch::Aarch64 => "armv8.0-a, native",
                }
            );
        }
        Ok(cpu)
    }
}

/// Whether this machine has every feature x86-64-v3 adds to x86-64-v2
/// that the code generator uses.
#[cfg(not(target_arch = "x86_64"))]
fn host_is_x86_64_v3() -> bool {
    false
}

/// Whether this machine has every feature x86-64-v3 adds to x86-64-v2
/// that the code generator uses.
#[cfg(target_arch = "x86_64")]
fn host_is_x86_64_v3() -> bool {
    std::arch::is_x86_feature_detected!("avx")
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("bmi2")
        && std::arch::is_x86_feature_detected!("fma")
        && std::arch::is_x86_feature_detected!("lzcnt")
}

/// An error already worded for the user, with the file it concerns.
struct UserError {
    file: PathBuf,
    error: anyhow::Error,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Run(args) => run(args),
        Command::Runtime(args) => write_runtime(args),
        Command::Cache { action } => cache_command(action),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // `{:#}` joins the context chain on one line; what is left of
            // line breaks and control characters (from the text format's
            // messages, or a hostile file name) is escaped.
            let message = format!("{:#}", e.error).replace('\n', " ");
            let file = e.file.display().to_string();
            eprintln!("error: {}: {}", printable(&file), printable(&message));
            ExitCode::from(1)
        }
    }
}

fn user_err(file: &Path) -> impl FnOnce(anyhow::Error) -> UserError + '_ {
    move |error| UserError {
        file: file.to_path_buf(),
        error,
    }
}

/// The largest module read: a path to an endless file (`/dev/zero`, a pipe
/// that never closes) must end in an error, not in exhausted memory.
const MAX_MODULE_BYTES: u64 = 1 << 30;

/// Reads the module, converting the text format to binary.
fn read_module(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            // Sized once: a module is often tens of megabytes.
            let size = file.metadata().map_or(0, |m| m.len());
            bytes.reserve_exact(size.min(MAX_MODULE_BYTES + 1) as usize);
            file.take(MAX_MODULE_BYTES + 1).read_to_end(&mut bytes)
        })
        .context("cannot read the module")?;
    if bytes.len() as u64 > MAX_MODULE_BYTES {
        bail!("the module is larger than {} MiB", MAX_MODULE_BYTES >> 20);
    }
    if bytes.starts_with(b"\0asm") {
        // Trailing debug sections are not read: not kept either.
        bytes.truncate(wasi_aot_compiler::parse::needed_len(&bytes));
        bytes.shrink_to_fit();
        return Ok(bytes);
    }
    let is_wat = path.extension().is_some_and(|e| e == "wat" || e == "wast");
    if !is_wat && !looks_like_text(&bytes) {
        bail!("not a WebAssembly module (no `\\0asm` header)");
    }
    let text = std::str::from_utf8(&bytes)
        .context("not a WebAssembly module (neither binary nor UTF-8 text)")?;
    wat::parse_str(text)
        .map_err(|e| anyhow::anyhow!("{}", wat_error(&e)))
        .context("invalid text module")
}

/// A text-format error as one short line: the message and its
/// `line:column`. The source line that the error's display quotes is left
/// out: in a one-line file it is the whole file.
fn wat_error(error: &wat::Error) -> String {
    let text = error.to_string();
    let mut lines = text.lines();
    let message = lines.next().unwrap_or_default();
    let shown = match lines.next().and_then(|l| l.trim().strip_prefix("--> ")) {
        Some(at) => format!("{message} at {at}"),
        None => message.to_string(),
    };
    shown.replace("<anon>:", "")
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]);
    let trimmed = text.trim_start();
    trimmed.starts_with("(module") || trimmed.starts_with(";;") || trimmed.starts_with("(;")
}

/// Whether `output` names the same file as `input` (also through a link),
/// which building would replace with the executable.
fn is_same_file(input: &Path, output: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(input), std::fs::metadata(output)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn build(args: BuildArgs) -> Result<ExitCode, UserError> {
    if is_same_file(&args.input, &args.output) {
        return Err(UserError {
            file: args.output,
            error: anyhow::anyhow!("the output is the input module; choose another output path"),
        });
    }
    let start = Instant::now();
    let (grants, embeds) = args.caps.grants().map_err(user_err(&args.input))?;
    let embed_time = start.elapsed();
    let wasm = read_module(&args.input).map_err(user_err(&args.input))?;
    let read_time = start.elapsed() - embed_time;
    let arch = args.target.map_or(HOST_ARCH, Target::arch);
    let cpu = args.codegen.cpu(arch).map_err(user_err(&args.input))?;
    let options = Options {
        cpu,
        grants,
        max_memory: args.limits.max_memory,
        max_wasm_stack: args.limits.max_wasm_stack,
        argv0: args.limits.argv0.clone(),
        no_inline: args.codegen.no_inline,
        ..Options::default()
    };
    if !matches!(args.emit, Emit::Staticlib) && (args.name.is_some() || args.header.is_some()) {
        return Err(UserError {
            file: args.input,
            error: anyhow::anyhow!("--name and --header are for --emit staticlib"),
        });
    }
    if let Emit::Staticlib = args.emit {
        if arch != Arch::X86_64 {
            return Err(UserError {
                file: args.input,
                error: anyhow::anyhow!(
                    "--emit staticlib is for x86_64-linux only (static libraries for {} are not \
                     supported yet)",
                    arch.name()
                ),
            });
        }
        return build_staticlib(&args, &options, &wasm);
    }
    let mut compile_time = Default::default();
    let mut phases = Vec::new();
    let (mut wasm, mut options) = (wasm, options);
    progress::show(|status| {
        let object =
            wasi_aot_compiler::compile_command_with_progress(&wasm, &options, &status.compiler)
                .map_err(|e| user_err(&args.input)(e.into()))?;
        compile_time = start.elapsed() - read_time - embed_time;
        phases = status.compiler.durations(Instant::now());
        // The object holds all the linker needs: the module and the trees'
        // images (copied into it) are not kept in memory while it links.
        wasm = Vec::new();
        for embed in &mut options.grants.embeds {
            embed.image = Vec::new();
        }
        match args.emit {
            Emit::Obj => link::write_object(&object, &args.output),
            Emit::Exe | Emit::Staticlib => {
                status.linking();
                link::link_executable(object, &args.output, &args.link.linker, arch)
            }
        }
        .map_err(user_err(&args.output))
    })?;
    let link_time = start.elapsed() - read_time - embed_time - compile_time;
    if args.verbose {
        let mut times = vec![("embed", embed_time), ("read", read_time)];
        times.extend(phases.iter().map(|(phase, time)| (phase.name(), *time)));
        times.push((
            if matches!(args.emit, Emit::Exe) {
                "link"
            } else {
                "write"
            },
            link_time,
        ));
        let linker = match (&args.emit, args.link.linker.program()) {
            (Emit::Obj | Emit::Staticlib, _) => "none (object file)".to_string(),
            (Emit::Exe, None) => "built-in".to_string(),
            (Emit::Exe, Some(cc)) => format!("system ({})", cc.to_string_lossy()),
        };
        report(&args.output, &options, &linker, &embeds, &times);
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--verbose` report of a build, on stderr.
fn report(
    output: &Path,
    options: &Options,
    linker: &str,
    embeds: &[EmbedReport],
    times: &[(&str, std::time::Duration)],
) {
    eprintln!(
        "target: {}, CPU level {}, linker {linker}",
        options.cpu.arch().name(),
        options.cpu.name()
    );
    let g = &options.grants;
    let mut grants: Vec<String> = Vec::new();
    grants.extend(g.dirs.iter().map(|(h, gu)| format!("--dir {h}::{gu}")));
    if g.inherit_env {
        grants.push("--inherit-env".into());
    }
    grants.extend(g.env.iter().map(|(name, value)| match value {
        Some(_) => format!("--env {name}=..."),
        None => format!("--env {name}"),
    }));
    grants.extend(g.tcp_listen.iter().map(|a| format!("--tcplisten {a}")));
    if grants.is_empty() {
        eprintln!("grants: none (stdio, arguments, clocks, random)");
    } else {
        eprintln!("grants: {}", grants.join(", "));
    }
    for e in embeds {
        eprintln!(
            "embedded: {} as {}: {} files, {} directories, {} symlinks, {} of contents ({} image)",
            e.host.display(),
            e.guest,
            e.files,
            e.dirs,
            e.symlinks,
            human_size(e.content),
            human_size(e.image)
        );
    }
    let size = std::fs::metadata(output).map_or(0, |m| m.len());
    eprintln!("output: {} ({})", output.display(), human_size(size));
    let total: std::time::Duration = times.iter().map(|t| t.1).sum();
    let phases: Vec<String> = times
        .iter()
        .map(|(name, t)| format!("{name} {:.1} ms", t.as_secs_f64() * 1e3))
        .collect();
    eprintln!(
        "time: {}; total {:.1} ms",
        phases.join(", "),
        total.as_secs_f64() * 1e3
    );
}

/// `--emit staticlib`: the archive, and the header when asked for.
fn build_staticlib(
    args: &BuildArgs,
    options: &Options,
    wasm: &[u8],
) -> Result<ExitCode, UserError> {
    let name = match &args.name {
        Some(name) => name.clone(),
        None => wasi_aot_compiler::c_identifier(
            &args
                .input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
    };
    archive::check_name(&name).map_err(user_err(&args.input))?;
    if options.grants != Default::default() || options.argv0.is_some() {
        return Err(UserError {
            file: args.input.clone(),
            error: anyhow::anyhow!(
                "--dir, --env, --inherit-env, --tcplisten, --embed-dir and --argv0 do not apply to \
                 --emit staticlib (the application grants them to each instance in NAME_config)"
            ),
        });
    }
    let lib = wasi_aot_compiler::compile_staticlib(wasm, options, &name)
        .map_err(|e| user_err(&args.input)(e.into()))?;
    let bytes = archive::staticlib(&lib.object, &name).map_err(user_err(&args.output))?;
    link::write_atomically(&args.output, &bytes, false).map_err(user_err(&args.output))?;
    if let Some(header) = &args.header {
        link::write_atomically(header, lib.header.as_bytes(), false).map_err(user_err(header))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `wasi-aot runtime`: the embedded runtime library, written out for a
/// build system that links `--emit obj` objects itself.
fn write_runtime(args: RuntimeArgs) -> Result<ExitCode, UserError> {
    let arch = args.target.map_or(HOST_ARCH, Target::arch);
    let lib = link::runtime_lib(arch).map_err(user_err(&args.output))?;
    link::write_atomically(&args.output, lib, false).map_err(user_err(&args.output))?;
    Ok(ExitCode::SUCCESS)
}

fn run(args: RunArgs) -> Result<ExitCode, UserError> {
    // `--argv0` is not baked in: the cached executable is started with it.
    let cpu = args.codegen.cpu(HOST_ARCH).map_err(user_err(&args.input))?;
    let options = Options {
        cpu,
        grants: args.caps.grants().map_err(user_err(&args.input))?.0,
        max_memory: args.limits.max_memory,
        max_wasm_stack: args.limits.max_wasm_stack,
        no_inline: args.codegen.no_inline,
        ..Options::default()
    };
    let wasm = read_module(&args.input).map_err(user_err(&args.input))?;
    let linker = &args.link.linker;
    let exe = cache::executable_for(&wasm, &options, linker, |out| {
        progress::show(|status| {
            let object = wasi_aot_compiler::compile_command_with_progress(
                &wasm,
                &options,
                &status.compiler,
            )?;
            status.linking();
            link::link_executable(object, out, linker, HOST_ARCH)
        })
    })
    .map_err(user_err(&args.input))?;
    let arg0 = match &args.limits.argv0 {
        Some(name) => name.as_ref(),
        None => args.input.as_os_str(),
    };
    let error = cache::exec(&exe, arg0, &args.args);
    Err(UserError { file: exe, error })
}

fn cache_command(action: CacheAction) -> Result<ExitCode, UserError> {
    let dir = cache::cache_dir().map_err(user_err(Path::new("cache")))?;
    match action {
        CacheAction::List => {
            let max = cache::max_size().map_err(user_err(&dir))?;
            let entries = cache::entries(&dir).map_err(user_err(&dir))?;
            let now = std::time::SystemTime::now();
            let mut total = 0;
            for e in &entries {
                let age = now.duration_since(e.last_used).unwrap_or_default();
                println!(
                    "{}  {:>10}  used {} ago",
                    e.path.display(),
                    human_size(e.size),
                    human_age(age)
                );
                total += e.size;
            }
            println!(
                "{} entries, {} (limit {}) in {}",
                entries.len(),
                human_size(total),
                human_size(max),
                dir.display()
            );
        }
        CacheAction::Clear => {
            let (count, bytes) = cache::clear(&dir).map_err(user_err(&dir))?;
            println!(
                "removed {count} entries ({}) from {}",
                human_size(bytes),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `bytes` in the largest binary unit that keeps it at least 1.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A duration rounded to its largest whole unit: `42 s`, `5 min`, `3 h`,
/// `2 days`.
fn human_age(age: std::time::Duration) -> String {
    match age.as_secs() {
        s @ 0..60 => format!("{s} s"),
        s @ 60..3600 => format!("{} min", s / 60),
        s @ 3600..86400 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86400),
    }
}
