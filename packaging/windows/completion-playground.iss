; Inno Setup script for Completion Playground on Windows.
;
; Packages the PyInstaller one-folder build of packaging/completion-playground.spec:
;   python -m PyInstaller --noconfirm --distpath build/dist --workpath build/work packaging/completion-playground.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\completion-playground.iss
; → dist\completion-playground-<version>-setup.exe
; The release workflow (.github/workflows/release.yml) runs both steps. Per-user install
; by default (no admin rights needed); the app keeps keys in Windows Credential Manager
; (keyring's Windows backend) and its settings under %APPDATA%\completion-playground.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Completion Playground"
#define AppExe "completion-playground.exe"
#define SourceDir "..\..\build\dist\completion-playground"

[Setup]
AppId={{6F0E2B7A-4C1D-4E8B-9A53-2C6D1F7B9E42}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Completion Playground developers
DefaultDirName={autopf}\Completion Playground
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=completion-playground-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\completion-playground.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
