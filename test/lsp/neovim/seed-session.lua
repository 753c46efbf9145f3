-- A real editor as the client: Neovim's built-in LSP client (0.7+) against
-- `mountlint lsp --stdio`, headless. Run by test/lsp/neovim.test.ts:
--   nvim --headless --clean -c 'luafile seed-session.lua'
-- with MOUNTLINT_NODE, MOUNTLINT_BIN, MOUNTLINT_FILE (a copy of the seed)
-- and MOUNTLINT_OUT (where the results go, as JSON).
local out = { steps = {} }
local function step(name) table.insert(out.steps, name) end

local function finish(err)
  out.error = err
  local f = io.open(os.getenv('MOUNTLINT_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local file = os.getenv('MOUNTLINT_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[bufnr].filetype
  local client_id = vim.lsp.start_client({
    name = 'mountlint',
    cmd = { os.getenv('MOUNTLINT_NODE'), os.getenv('MOUNTLINT_BIN'), 'lsp', '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    settings = { mountlint = {} },
  })
  if not client_id then return finish('the client did not start') end
  vim.lsp.buf_attach_client(bufnr, client_id)
  step('attached')

  -- Wait for the race diagnostic.
  local function lsp_of(d)
    return (d.user_data and d.user_data.lsp) or d
  end
  local race
  vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if lsp_of(d).code == 'cache-race' or d.code == 'cache-race' then
        race = d
        return true
      end
    end
    return false
  end, 50)
  if not race then return finish('no cache-race diagnostic arrived') end
  out.race = { lnum = race.lnum, col = race.col, message = race.message, severity = race.severity }
  step('diagnostic')

  -- Ask for code actions on the race and apply the `locked` one.
  local range = { start = { line = race.lnum, character = race.col }, ['end'] = { line = race.end_lnum, character = race.end_col } }
  local lsp_diagnostic = lsp_of(race)
  if not lsp_diagnostic.range then
    lsp_diagnostic = { range = range, message = race.message, code = 'cache-race', source = 'mountlint', severity = race.severity }
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = range, context = { diagnostics = { lsp_diagnostic } } }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 20000) or {}
  local actions = (responses[client_id] or {}).result or {}
  out.titles = {}
  local locked
  for _, action in ipairs(actions) do
    table.insert(out.titles, action.title)
    if not locked and string.find(action.title, 'sharing=locked', 1, true) then locked = action end
  end
  if not locked then return finish('no locked quick fix among the code actions') end
  vim.lsp.util.apply_workspace_edit(locked.edit, 'utf-16')
  out.buffer = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
  step('applied')

  -- The race is gone once the server has the new text.
  local cleared = vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if lsp_of(d).code == 'cache-race' or d.code == 'cache-race' then return false end
    end
    return true
  end, 50)
  out.race_cleared = cleared
  step('relinted')

  -- Hover the --mount of the production stage's apt step (line 10).
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 9, character = 12 } }, 20000) or {}
  local result = (hover[client_id] or {}).result
  out.hover = result and result.contents and (result.contents.value or result.contents) or vim.NIL
  step('hover')
  vim.lsp.stop_client(client_id)
end)

finish(not ok and tostring(err) or nil)
