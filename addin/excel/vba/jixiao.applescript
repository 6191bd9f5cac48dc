-- Called by JixiaoSupport.JxPickFolder through AppleScriptTask (Mac Excel 2016+ runs scripts
-- only from ~/Library/Application Scripts/com.microsoft.Excel; `jixiao addin install` puts it there).
on ChooseFolder(promptText)
	try
		return POSIX path of (choose folder with prompt promptText)
	on error
		return ""
	end try
end ChooseFolder
