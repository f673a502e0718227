; Inno Setup script: AgentDesk's Windows installer (Inno Setup 6.3 or newer).
;
; NOT RUN HERE: the project's machines and CI are Linux; packaging/windows/build.yml is the
; build for a Windows runner, and packaging/README.md gives the steps by hand. From the
; repository root, after PyInstaller has made dist\AgentDesk\:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\agentdesk.iss
;
; makes dist\AgentDesk-0.1.0-setup.exe. Silent installs, and what IT can preset with them,
; are in docs/install.md:
;
;   AgentDesk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS
;     [/DATADIR=D:\AgentDesk] [/CHANNEL=https://packs.example.com/channel/]

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "AgentDesk"
#define AppExe "AgentDesk.exe"
#define Root "..\.."

[Setup]
; The id ties upgrades and the uninstaller to this product: never change it.
AppId={{8D5F3A2E-6C1B-4E7A-9B0D-2F4C6A8E1B37}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=AgentDesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription={#AppName} installer
VersionInfoCompany=AgentDesk
; Per machine by default (Program Files); /CURRENTUSER (or the dialog) installs for one user
; without administrator rights.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile={#Root}\resources\icons\agentdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir={#Root}\dist
OutputBaseFilename=AgentDesk-{#AppVersion}-setup
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; A running AgentDesk is closed (its note draft is written as it closes) and started again.
CloseApplications=yes
RestartApplications=yes
ChangesEnvironment=yes
ShowLanguageDialog=auto

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
es.AutoStart=Iniciar AgentDesk al iniciar sesión
en.AutoStart=Start AgentDesk when I sign in
es.Launch=Abrir AgentDesk
en.Launch=Open AgentDesk

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "autostart"; Description: "{cm:AutoStart}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\AgentDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon
Name: "{autostartup}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: autostart

[Registry]
; /DATADIR=PATH: every user's notes and installed packs in PATH (AGENTDESK_DATA_DIR). Per
; machine only: a per-user install has no rights here.
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
  ValueType: expandsz; ValueName: "AGENTDESK_DATA_DIR"; ValueData: "{param:DATADIR}"; \
  Flags: uninsdeletevalue; Check: IsAdminInstallMode and HasParam('DATADIR')

[Run]
; /CHANNEL=ADDRESS: packs are updated from the channel at each sign-in of any user.
Filename: "{sys}\schtasks.exe"; \
  Parameters: "/Create /F /SC ONLOGON /RU ""BUILTIN\Users"" /TN ""AgentDesk packs"" /TR ""\""{app}\{#AppExe}\"" pack update --from {param:CHANNEL}"""; \
  Flags: runhidden; Check: IsAdminInstallMode and HasParam('CHANNEL')
Filename: "{app}\{#AppExe}"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""AgentDesk packs"""; \
  Flags: runhidden; RunOnceId: "DeletePacksTask"; Check: IsAdminInstallMode

[Code]
function HasParam(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;
