export const HELP = `toa — TOA Studio's headless CLI

Usage:
  toa run -c|--config <toa.config.json> -i|--input <prompts.jsonl> [options]
      Search every prompt, write SFT rows, preference pairs and traces.
      --strategy <toa|best-of-n|prs|ensemble|sequential|moa>   override search.strategy
      --budget <n>          plays per prompt (override search.budget)
      --seed <n>            override search.seed
      --out-dir <dir>       write outputs under <dir> (default: paths from the config, relative to it)
      --fresh               ignore existing traces (default: resume, skipping prompts already done)
      --quiet               no progress bar
  toa compare -c|--config <file> -i|--input <prompts.jsonl> [--budget n] [--seed n] [--strategies a,b,...]
      Run TOA and the baselines (or only the strategies named) on the same prompts at the same
      budget; print a table. Writes no outputs.
  toa validate -c|--config <file> [-i|--input <prompts.jsonl>] [--ping]
      Check a config (and optionally a dataset); print every problem with its path, and
      which environment variables the config sends where and which program it runs.
      --ping                also call every agent and the reward model once, with a short
                            prompt, and say which answered (exit 1 if any did not)
  toa init [-c|--config toa.config.json] [--providers openai,ollama]
      Write a starter config for real endpoints (openai, openrouter, vllm, ollama, lmstudio):
      one agent per provider, scored by an LLM judge. Never overwrites a file.
  toa sim [--port 8808] [--seed 0] [--latency ms] [--reward-latency ms] [--reward-scale 0.1]
          [--reward-noise sd] [--answers file.jsonl]
          [--fault-429 p] [--fault-500 p] [--fault-cut p] [--fault-malformed p] [--fault-slow p]
          [--fault-401 model:n,...] [--fault-402 model:n,...]
      Start the simulated OpenAI-compatible agents and vLLM reward endpoint on 127.0.0.1.
  toa --version
      Print the version.

API keys come from the environment variable each agent names in "apiKeyEnv".
A config is trusted as code: it may send any variable to any URL and run a program. Run only
configs you have read; "toa validate" lists what one sends and runs.
Exit codes: 0 done, 1 bad input or failed prompts, 2 usage, 130 cancelled.`;
